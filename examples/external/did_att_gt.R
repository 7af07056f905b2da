#!/usr/bin/env Rscript
# A Stagger external estimator calling R's did package (Callaway & Sant'Anna 2021): att_gt with the
# not-yet-treated as comparison, aggte for simple, dynamic (event window from the request) and group.
# The README's "Bring your own estimator" describes the protocol.
#
# Not in CI: did (CRAN) is not in Debian, so the tests cannot install it; the base-R example did_2x2.R,
# which computes the same point estimates, is the one they run. Run by hand (README, worked
# examples): R did 2.5.1 through this script equalled the built-in cs on 40 draws to 4.4e-16, from the
# CSV and from the binary frame alike.
#
# Analytic SEs (bstrap = FALSE): R did's defaults bootstrap, which would make each draw's answer depend
# on R's random seed. stagger_protocol.R reads the requests and their panels (the CSV or the binary
# frame).
suppressPackageStartupMessages(library(did))

# The protocol's helpers (field, estimands_of, read_panel, num): stagger_protocol.R, beside this script.
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])), "stagger_protocol.R"))
row <- function(id, est, se) {
  if (length(est) == 0 || is.na(est)) return(sprintf('{"estimand":"%s","estimate":null,"se":null,"reason":"R did gave NA"}', id))
  sprintf('{"estimand":"%s","estimate":%s,"se":%s}', id, num(est), num(se))
}

estimate <- function(d, asked) {
  gt <- att_gt(yname = "y", tname = "period", idname = "id", gname = "first_treat", data = d,
               control_group = "notyettreated", base_period = "varying", bstrap = FALSE, cband = FALSE)
  keys <- function(prefix) as.numeric(sub(prefix, "", asked[startsWith(asked, prefix)]))
  e <- keys("dynamic:")
  out <- character(0)
  if ("simple" %in% asked) {
    s <- aggte(gt, type = "simple", bstrap = FALSE)
    out <- c(out, row("simple", s$overall.att, s$overall.se))
  }
  if (length(e) > 0 || "dynamic_avg" %in% asked) {
    dy <- if (length(e)) aggte(gt, type = "dynamic", min_e = min(e), max_e = max(e), bstrap = FALSE)
          else aggte(gt, type = "dynamic", bstrap = FALSE)
    for (k in e) out <- c(out, row(sprintf("dynamic:%d", k), dy$att.egt[dy$egt == k], dy$se.egt[dy$egt == k]))
    if ("dynamic_avg" %in% asked) out <- c(out, row("dynamic_avg", dy$overall.att, dy$overall.se))
  }
  g <- keys("group:")
  if (length(g) > 0 || "group_avg" %in% asked) {
    gr <- aggte(gt, type = "group", bstrap = FALSE)
    for (k in g) out <- c(out, row(sprintf("group:%s", k), gr$att.egt[gr$egt == k], gr$se.egt[gr$egt == k]))
    if ("group_avg" %in% asked) out <- c(out, row("group_avg", gr$overall.att, gr$overall.se))
  }
  # Asked-for estimands not answered above (calendar:T, dynamic_pre_avg) are left out: Stagger then
  # records them as not identified ("the estimate has no ... row").
  out
}

con <- file("stdin", open = "r")
while (length(line <- readLines(con, n = 1)) > 0) {
  if (!nzchar(trimws(line))) next
  draw <- field(line, "draw")
  asked <- estimands_of(line)
  rows <- tryCatch(estimate(read_panel(line), asked), error = function(e) {
    message("draw ", draw, ": ", conditionMessage(e))
    sprintf('{"estimand":"%s","estimate":null,"se":null,"reason":"%s"}', asked, gsub('"', "'", conditionMessage(e)))
  })
  cat(sprintf('{"draw":%s,"rows":[%s]}\n', draw, paste(rows, collapse = ",")))
  flush(stdout())
}
