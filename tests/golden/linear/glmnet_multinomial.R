# Golden values for Occam's multinomial logistic regression from glmnet 4.1-6 (Debian r-cran-glmnet).
# Run from the repository root:  Rscript tests/golden/linear/glmnet_multinomial.R
# Writes tests/golden/linear/glmnet_multinomial.json.
#
# glmnet's family = "multinomial" minimizes -(1/n) loglik + lambda * sum_j [(1-a)/2 ||b_j||^2 + a ||b_j||_q] with
# b_j the K class coefficients of feature j, q = 1 (type.multinomial = "ungrouped") or 2 ("grouped"): Occam's
# alpha = lambda and l1Ratio = a, no y scaling. standardize = TRUE uses the population (1/n) sd, like Occam.
# glmnet clamps probabilities below pmin (default 1e-5) in its working response, which moves its solution away from
# the optimum once some fitted probability is that small; pmin = 1e-12 keeps the clamp inactive on these paths
# (the script prints the smallest fitted probability of every path). fdev = 0 and devmax = 1 keep glmnet from
# stopping the path early. Coefficients are written in original units: coefs[lambda][class][feature].
suppressMessages(library(glmnet))

args <- commandArgs(trailingOnly = FALSE)
script <- sub("--file=", "", args[grep("--file=", args)])
root <- normalizePath(file.path(dirname(script), "..", "..", ".."))
out <- file.path(root, "tests", "golden", "linear", "glmnet_multinomial.json")

glmnet.control(fdev = 0, devmax = 1, pmin = 1e-12)
num <- function(v) paste0("[", paste(sprintf("%.17g", v), collapse = ","), "]")
strs <- function(v) paste0("[", paste0('"', v, '"', collapse = ","), "]")

datasets <- list(
  list(name = "iris", file = "iris.csv", target = "species", nlambda = 30),
  list(name = "wine", file = "wine.csv", target = "cultivar", nlambda = 30),
  list(name = "digits", file = "digits.csv", target = "digit", nlambda = 15))
configs <- list(list("lasso", 1.0, "ungrouped"), list("enet", 0.5, "ungrouped"),
                list("groupedLasso", 1.0, "grouped"), list("groupedEnet", 0.5, "grouped"))
# glmnet stops when the weighted squared change of the coefficients in one step is below thresh * null deviance;
# its grouped solver takes small majorization steps, so at thresh = 1e-14 its coefficients are still ~5e-5 from the
# optimum on iris (measured against thresh = 1e-22). 1e-18 leaves < 1e-6.
thr <- 1e-18
parts <- c()
for (ds in datasets) {
  d <- read.csv(file.path(root, "data", ds$file), check.names = FALSE)
  X <- as.matrix(d[, setdiff(names(d), ds$target)])
  y <- factor(d[[ds$target]])
  for (cfg in configs) {
    name <- paste0(ds$name, "_", cfg[[1]])
    fit <- glmnet(X, y, family = "multinomial", alpha = cfg[[2]], type.multinomial = cfg[[3]],
                  nlambda = ds$nlambda, lambda.min.ratio = 1e-2, standardize = TRUE,
                  thresh = thr, maxit = 1e8)
    nl <- length(fit$lambda)
    coefs <- sapply(seq_len(nl), function(l)
      paste0("[", paste(sapply(fit$beta, function(b) num(as.matrix(b)[, l])), collapse = ","), "]"))
    a0 <- sapply(seq_len(nl), function(l) num(fit$a0[, l]))
    pr <- predict(fit, X, type = "response")
    cat(sprintf("%-20s %2d lambdas, smallest fitted probability %.3g\n", name, nl, min(pr)))
    parts <- c(parts, sprintf(
      '"%s":{"data":"%s","target":"%s","l1Ratio":%.17g,"grouped":%s,"classes":%s,"alphas":%s,"coefs":[%s],"intercepts":[%s],"devRatio":%s}',
      name, ds$file, ds$target, cfg[[2]], tolower(cfg[[3]] == "grouped"), strs(levels(y)), num(fit$lambda),
      paste(coefs, collapse = ","), paste(a0, collapse = ","), num(fit$dev.ratio)))
  }
}

writeLines(paste0('{"glmnet":"', as.character(packageVersion("glmnet")), '",', paste(parts, collapse = ","), "}"), out)
cat("wrote", out, "\n")
