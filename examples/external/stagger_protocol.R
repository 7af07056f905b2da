# The Stagger external-estimator protocol's helpers in base R, for the R examples beside this file
# (README, "Bring your own estimator"); `source()` it from your own estimator too.
#
# Base R has no JSON parser; a request's fields have a fixed shape, read with regular expressions.
# The panel is the request's CSV, or with `panel_format: binary` in the scenario its binary frame:
# `nrow` rows of the request's `columns`, little-endian doubles column after column.

# A string or whole-number field of the request line ("panel", "draw", "nrow").
field <- function(line, key) sub(sprintf('.*"%s": *("([^"]*)"|(-?[0-9]+)).*', key), "\\2\\3", line)
# A list of strings of the request line ("estimands", "columns").
strings_of <- function(line, key) {
  inside <- sub(sprintf('.*"%s": *\\[([^]]*)\\].*', key), "\\1", line)
  gsub('"', "", trimws(strsplit(inside, ",")[[1]]))
}
estimands_of <- function(line) strings_of(line, "estimands")

# The request's panel as a data frame, from the CSV or from the binary frame.
read_panel <- function(line) {
  path <- field(line, "panel")
  if (!grepl('"panel_format": *"binary"', line)) return(read.csv(path))
  cols <- strings_of(line, "columns")
  n <- as.numeric(field(line, "nrow"))
  v <- readBin(path, "double", n = n * length(cols), size = 8, endian = "little")
  if (length(v) != n * length(cols)) stop(sprintf("%s: %d values, expected %g rows x %d columns", path, length(v), n, length(cols)))
  d <- setNames(as.data.frame(matrix(v, nrow = n)), cols)
  # The frame as read.csv reads the CSV: a column of whole numbers becomes integer. The doubles are the
  # draw's exactly (read.csv's decimal parser can be a unit in the last place off).
  d[] <- lapply(d, function(x) {
    i <- suppressWarnings(as.integer(x)) # truncated; NA for NaN and out of range
    if (!anyNA(i) && all(i == x)) i else x
  })
  d
}

# A number as JSON: all 17 significant digits, null for NA, NaN or ±Inf.
num <- function(x) if (length(x) == 0 || is.na(x) || !is.finite(x)) "null" else formatC(x, digits = 17, format = "g")
