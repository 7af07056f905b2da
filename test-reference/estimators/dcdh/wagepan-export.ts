/**
 * wagepan (Vella & Verbeek 1998: 545 men, 1980–87) from Debian's r-cran-plm `Males`, in wagepan.dta's
 * columns (lwage = wage, which is the log wage; union = union == "yes"; hisp, black from ethn; educ =
 * school; married and health as 0/1), written by Rscript at test time: no data is committed. A missing
 * Rscript or r-cran-plm fails the test (`npm run test:reference` installs both).
 */
/** R: Males → wagepan's columns, lwage rounded to single precision as wagepan.dta stores it. */
export const EXPORT_R = `
data("Males", package = "plm")
m <- Males
f32 <- function(x) readBin(writeBin(x, raw(), size = 4), "numeric", size = 4, n = length(x))
out <- data.frame(nr = m$nr, year = m$year, lwage = f32(m$wage), union = as.numeric(m$union == "yes"),
                  hisp = as.numeric(m$ethn == "hisp"), black = as.numeric(m$ethn == "black"), educ = m$school,
                  married = as.numeric(m$married == "yes"), health = as.numeric(m$health == "yes"))
write.csv(out, commandArgs(trailingOnly = TRUE)[1], row.names = FALSE)
`;
