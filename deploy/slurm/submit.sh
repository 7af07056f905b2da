#!/usr/bin/env bash
# Submit a Stagger run to Slurm as a job array (one task per shard) and a merge job that starts when
# the last task ends, however it ended (afterany), and refuses, naming the shard, if any is incomplete.
#
#   deploy/slurm/submit.sh SCENARIO --draws N --shards K --seed S --out DIR
#                          [--cpus C] [--partition P] [--time T] [--mem M]
#
# Writes DIR/slurm/shard.sbatch and DIR/slurm/merge.sbatch (the exact jobs, kept for resubmission),
# logs to DIR/logs/, shard i to DIR/shard-i/ and the merged result to DIR/. Prints the job ids.
# A failed or cancelled task i is resubmitted with the same script; it continues where it stopped:
#   sbatch --array=i DIR/slurm/shard.sbatch
#   sbatch --dependency=afterany:<that job id> DIR/slurm/merge.sbatch
#
# Each task execs `stagger` itself (the installed one on PATH, else node on this checkout's
# dist/src/cli/main.js), never npx: the process Slurm tracks is the one doing the work, so scancel,
# time limits and preemption stop it (npx's process name "npm exec …" defeats proctrack/linuxproc).
set -euo pipefail

me=submit.sh
die() { # bad input: exit 2, one line
  printf '%s: %s\n' "$me" "$1" >&2
  exit 2
}
usage="usage: $me SCENARIO --draws N --shards K --seed S --out DIR [--cpus C] [--partition P] [--time T] [--mem M]"

scenario='' draws='' shards='' seed='' out='' cpus=1 partition='' time_limit='' mem=''
while (($#)); do
  case "$1" in
    --draws | --shards | --seed | --out | --cpus | --partition | --time | --mem)
      (($# >= 2)) || die "$1: expected a value, found the end of the command line"
      case "$1" in
        --draws) draws=$2 ;; --shards) shards=$2 ;; --seed) seed=$2 ;; --out) out=$2 ;;
        --cpus) cpus=$2 ;; --partition) partition=$2 ;; --time) time_limit=$2 ;; --mem) mem=$2 ;;
      esac
      shift 2 ;;
    --draws=* | --shards=* | --seed=* | --out=* | --cpus=* | --partition=* | --time=* | --mem=*)
      set -- "${1%%=*}" "${1#*=}" "${@:2}" ;;
    -h | --help) echo "$usage"; exit 0 ;;
    -*) die "$1: expected one of --draws --shards --seed --out --cpus --partition --time --mem, found '$1'" ;;
    *) [[ -z $scenario ]] || die "$1: expected one scenario, found a second ('$scenario' was the first)"
       scenario=$1; shift ;;
  esac
done

[[ -n $scenario ]] || die "SCENARIO: expected a scenario file or bundled name, found none; $usage"
whole() { [[ $2 =~ ^[1-9][0-9]*$ ]] || die "$1: expected a positive whole number, found '$2'"; }
whole --draws "$draws"
whole --shards "$shards"
whole --cpus "$cpus"
((shards <= draws)) || die "--shards: expected at most --draws ($draws) shards, found $shards"
[[ -n $seed ]] || die "--seed: expected a seed (every shard must use the same one), found none"
[[ $seed =~ ^[A-Za-z0-9._-]+$ ]] || die "--seed: expected letters, digits, '.', '_' or '-', found '$seed'"
[[ -n $out ]] || die "--out: expected the run's directory (on storage every node sees), found none"
# #SBATCH lines cannot quote: the paths that go into them must not hold blanks.
[[ $out != *[[:space:]]* ]] || die "--out: expected a path without blanks, found '$out'"
for v in "$partition" "$time_limit" "$mem"; do [[ $v != *[[:space:]]* ]] || die "expected no blanks in --partition/--time/--mem, found '$v'"; done
command -v sbatch >/dev/null || die "sbatch: expected Slurm's sbatch on PATH, found none"

mkdir -p "$out/logs" "$out/slurm" || die "--out: cannot create '$out/logs'"
out=$(cd "$out" && pwd -P)
# A scenario file is named by its absolute path (the jobs run in --out); anything else is a bundled name.
if [[ -e $scenario ]]; then
  [[ -f $scenario && -r $scenario ]] || die "$scenario: expected a readable scenario file, found something else"
  scenario="$(cd "$(dirname "$scenario")" && pwd -P)/$(basename "$scenario")"
fi

# The command each job execs: the installed stagger (its shebang execs node), else node on this checkout.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
if stagger_bin=$(command -v stagger); then
  run=("$(readlink -f "$stagger_bin")")
else
  main="$here/../../dist/src/cli/main.js"
  [[ -f $main ]] || die "stagger: expected it on PATH or built at $main (npm run build), found neither"
  node_bin=$(command -v node) || die "node: expected it on PATH, found none"
  main=$(readlink -f "$main")
  # the node flags of main.js's shebang (#!/usr/bin/env -S node --single-threaded)
  read -r -a flags <<<"$(sed -n '1s/^#!.*[/ ]node\( \|$\)//p' "$main")"
  run=("$node_bin" "${flags[@]}" "$main")
fi
q() { printf '%q ' "$@"; }

name=stagger-$(basename "${scenario%.*}")
common="#SBATCH --chdir=$out
#SBATCH --open-mode=append${partition:+
#SBATCH --partition=$partition}${time_limit:+
#SBATCH --time=$time_limit}${mem:+
#SBATCH --mem=$mem}"

# One task per shard. --open-mode=append keeps the log of a cancelled attempt when it is resubmitted.
cat >"$out/slurm/shard.sbatch" <<EOF
#!/bin/bash
#SBATCH --job-name=$name
#SBATCH --array=1-$shards
#SBATCH --cpus-per-task=$cpus
#SBATCH --output=$out/logs/shard-%a.out
#SBATCH --error=$out/logs/shard-%a.err
$common
# Written by deploy/slurm/submit.sh. Resubmit a failed or cancelled task i with: sbatch --array=i $out/slurm/shard.sbatch
# (--resume continues where it stopped; a finished shard is left as it is.)
set -eu
exec $(q "${run[@]}")run $(q "$scenario")--draws $draws --seed $seed --quiet --resume \\
  --workers "\${SLURM_CPUS_PER_TASK:-1}" --shard "\${SLURM_ARRAY_TASK_ID}/$shards" --out "$out/shard-\${SLURM_ARRAY_TASK_ID}"
EOF

# The merge names every shard directory, so a shard that never started is named too.
dirs=()
for ((i = 1; i <= shards; i++)); do dirs+=("$out/shard-$i"); done
cat >"$out/slurm/merge.sbatch" <<EOF
#!/bin/bash
#SBATCH --job-name=$name-merge
#SBATCH --cpus-per-task=1
#SBATCH --output=$out/logs/merge.out
#SBATCH --error=$out/logs/merge.err
$common
# Written by deploy/slurm/submit.sh. Refuses (non-zero, naming the shard) while any shard is incomplete.
set -eu
exec $(q "${run[@]}")merge $(q "${dirs[@]}")--out $(q "$out") --quiet
EOF

array=$(sbatch --parsable "$out/slurm/shard.sbatch")
array=${array%%;*} # --parsable prints "id;cluster" on multi-cluster setups
if ! merge=$(sbatch --parsable --dependency="afterany:$array" "$out/slurm/merge.sbatch"); then
  printf '%s: the array is job %s, but its merge could not be submitted; submit it with: sbatch --dependency=afterany:%s %s\n' "$me" "$array" "$array" "$out/slurm/merge.sbatch" >&2
  exit 1
fi
merge=${merge%%;*}
echo "array $array"
echo "merge $merge"
echo "$me: $shards tasks in job $array, merge in job $merge; logs in $out/logs/, result in $out/" >&2
echo "$me: resubmit a failed or cancelled task i: sbatch --array=i $out/slurm/shard.sbatch; then sbatch --dependency=afterany:<its job id> $out/slurm/merge.sbatch" >&2
