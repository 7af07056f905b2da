#!/usr/bin/env Rscript
# A Stagger external estimator in base R (README, "Bring your own estimator"): the same estimator as
# did_2x2.py, written again in R -- group-time 2x2 DiDs with the not-yet-treated as comparison
# (Callaway & Sant'Anna 2021, eq. 2.7 without covariates; base period g-1 after treatment, t-1
# before), aggregated as R did's aggte (simple, dynamic:E, dynamic_avg, group:G, group_avg), with
# unit-clustered SEs that hold the aggregation weights fixed (R did's aggregate SEs also count the
# weights' sampling variation; its estimates are the same). The request's options
# (dynamic_avg_window, dynamic_pre_avg_window, group_avg_exclude: first_treat labels) narrow
# dynamic_avg, dynamic_pre_avg and group_avg as in did_2x2.py, and the answer lists them in "honoured".
#
# Protocol: read one JSON request per line from stdin, write one JSON answer per line to stdout.
# stagger_protocol.R reads the requests and their panels (the CSV or the binary frame).

# The protocol's helpers (field, estimands_of, read_panel, num): stagger_protocol.R, beside this script.
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])), "stagger_protocol.R"))
# The request's options (present only when the analysis narrows an average): a list of numbers each.
option_of <- function(line, key) {
  if (!grepl(sprintf('"%s": *\\[', key), line)) return(NULL)
  inside <- sub(sprintf('.*"%s": *\\[([^]]*)\\].*', key), "\\1", line)
  if (!nzchar(trimws(inside))) numeric(0) else as.numeric(strsplit(inside, ",")[[1]])
}
OPTIONS <- c("dynamic_avg_window", "dynamic_pre_avg_window", "group_avg_exclude")
row_json <- function(r) {
  if (is.null(r$estimate)) sprintf('{"estimand":"%s","estimate":null,"se":null,"reason":"%s"}', r$estimand, gsub('"', "'", r$reason))
  else sprintf('{"estimand":"%s","estimate":%s,"se":%s}', r$estimand, num(r$estimate), num(r$se))
}

estimate <- function(d, asked, opt) {
  # R did's rules: a start after the last period is never treated; with no never-treated unit the last
  # start group is only a comparison, and the periods from its start (which have none) are dropped.
  d$first_treat[d$first_treat > max(d$period)] <- 0
  if (all(d$first_treat != 0)) {
    last <- max(d$first_treat)
    d$first_treat[d$first_treat == last] <- 0
    d <- d[d$period < last, ]
  }
  periods <- sort(unique(d$period))
  d <- d[order(d$id, d$period), ]
  ids <- unique(d$id)
  Y <- matrix(d$y, nrow = length(ids), byrow = TRUE)          # units x periods
  G <- d$first_treat[match(ids, d$id)]
  labels <- sort(unique(G))
  n <- as.numeric(table(factor(G, levels = labels)))
  groups <- labels[labels > 0 & labels %in% periods & match(labels, periods) > 1]
  cells <- list()
  for (g in groups) for (k in seq_along(periods)) {
    t <- periods[k]
    b <- if (t >= g) match(g, periods) - 1 else k - 1
    if (b < 1 || b == k) next
    ctrl <- G != g & (G == 0 | G > max(t, periods[b]))
    if (!any(ctrl)) next
    tr <- G == g
    dy <- Y[, k] - Y[, b]
    cells[[length(cells) + 1]] <- list(g = g, t = t, tr = tr, ctrl = ctrl, dy = dy,
                                       att = mean(dy[tr]) - mean(dy[ctrl]))
  }
  cg <- vapply(cells, function(c) c$g, 0)
  ct <- vapply(cells, function(c) c$t, 0)
  # Estimate and clustered SE of sum w * ATT(c): IF_i = sum_c w_c [1{i in G_c}(dy_i - m_G)/n_G - 1{i in C_c}(dy_i - m_C)/n_C].
  combine <- function(which, w) {
    f <- numeric(length(G))
    est <- 0
    for (j in seq_along(which)) {
      c <- cells[[which[j]]]
      est <- est + w[j] * c$att
      f[c$tr] <- f[c$tr] + w[j] * (c$dy[c$tr] - mean(c$dy[c$tr])) / sum(c$tr)
      f[c$ctrl] <- f[c$ctrl] - w[j] * (c$dy[c$ctrl] - mean(c$dy[c$ctrl])) / sum(c$ctrl)
    }
    list(estimate = est, se = sqrt(sum(f^2)))
  }
  size <- function(which) n[match(cg[which], labels)] / sum(n[match(cg[which], labels)])
  dyn <- function(e) which(ct - cg == e)
  grp <- function(g) which(cg == g & ct >= g)
  dyn_e <- as.numeric(sub("dynamic:", "", asked[startsWith(asked, "dynamic:")]))
  lapply(asked, function(s) {
    none <- function(why) list(estimand = s, estimate = NULL, reason = why)
    pick <- function(which, w, why) if (length(which) == 0) none(why) else c(list(estimand = s), combine(which, w))
    if (s == "simple") { k <- which(ct >= cg); pick(k, size(k), "no post-period cell") }
    else if (startsWith(s, "dynamic:")) { k <- dyn(as.numeric(sub("dynamic:", "", s))); pick(k, size(k), "no start group at this event time") }
    else if (s == "dynamic_avg") {
      aw <- opt$dynamic_avg_window
      es <- Filter(function(e) e >= 0 && (is.null(aw) || (e >= aw[1] && e <= aw[2])) && length(dyn(e)) > 0,
                   if (length(dyn_e)) dyn_e else sort(unique(ct - cg)))
      k <- unlist(lapply(es, dyn)); w <- unlist(lapply(es, function(e) size(dyn(e)) / length(es)))
      pick(k, w, "no event time e >= 0 in the window")
    } else if (s == "dynamic_pre_avg") {
      pw <- opt$dynamic_pre_avg_window
      if (is.null(pw)) return(none("no dynamic_pre_avg_window in the request"))
      es <- Filter(function(e) e < 0 && e >= pw[1] && e <= pw[2] && length(dyn(e)) > 0,
                   if (length(dyn_e)) dyn_e else sort(unique(ct - cg)))
      k <- unlist(lapply(es, dyn)); w <- unlist(lapply(es, function(e) size(dyn(e)) / length(es)))
      pick(k, w, sprintf("no pre-period event time in %d..%d", pw[1], pw[2]))
    } else if (startsWith(s, "group:")) { k <- grp(as.numeric(sub("group:", "", s))); pick(k, rep(1 / length(k), length(k)), "no post-period cell") }
    else if (s == "group_avg") {
      gs <- Filter(function(g) length(grp(g)) > 0 && !(g %in% opt$group_avg_exclude), groups)
      pg <- n[match(gs, labels)] / sum(n[match(gs, labels)])
      k <- unlist(lapply(gs, grp)); w <- unlist(lapply(seq_along(gs), function(j) rep(pg[j] / length(grp(gs[j])), length(grp(gs[j])))))
      pick(k, w, "no start group has a post-period cell")
    } else none(paste("this example does not compute", s))
  })
}

con <- file("stdin", open = "r")
while (length(line <- readLines(con, n = 1)) > 0) {
  if (!nzchar(trimws(line))) next
  draw <- field(line, "draw")
  asked <- estimands_of(line)
  opt <- setNames(lapply(OPTIONS, function(k) option_of(line, k)), OPTIONS)
  sent <- OPTIONS[!vapply(opt, is.null, TRUE)]
  rows <- tryCatch(estimate(read_panel(line), asked, opt), error = function(e) {
    message("draw ", draw, ": ", conditionMessage(e))
    lapply(asked, function(s) list(estimand = s, estimate = NULL, reason = conditionMessage(e)))
  })
  # Every option sent is applied in estimate(): say so (the protocol's "honoured").
  honoured <- if (length(sent)) sprintf(',"honoured":[%s]', paste0('"', sent, '"', collapse = ",")) else ""
  cat(sprintf('{"draw":%s%s,"rows":[%s]}\n', draw, honoured, paste(vapply(rows, row_json, ""), collapse = ",")))
  flush(stdout())
}
