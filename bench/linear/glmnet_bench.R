# Times glmnet on a CSV (last column = target), best of N runs.
# usage: Rscript glmnet_bench.R <csv> <l1_ratio> <repeats> [inner]
# Each timing runs the fit <inner> times (default 1) and divides, because R's clock has 1 ms resolution.
# Same problems as Occam/scikit-learn: the same 100-alpha grid (alpha_max .. 1e-3 alpha_max), standardize = FALSE,
# intercept = TRUE, and for rho < 1 the mapping lambda = alpha*(rho + (1-rho)*s_y), a = rho/(rho + (1-rho)*s_y)
# (glmnet divides y by its sd s_y internally; see tests/golden/linear/glmnet_golden.R). Convergence: glmnet's default
# thresh = 1e-7 (on the largest weighted squared coefficient change relative to the null deviance; not a duality gap).
suppressMessages(library(glmnet))
args <- commandArgs(trailingOnly = TRUE)
d <- as.matrix(read.csv(args[1]))
ratio <- as.numeric(args[2]); repeats <- as.integer(args[3])
inner <- if (length(args) > 3) as.integer(args[4]) else 1L
X <- d[, -ncol(d)]; y <- d[, ncol(d)]
n <- nrow(X)
run <- function() {
  yc <- y - mean(y)
  Xc <- sweep(X, 2, colMeans(X))
  amax <- max(abs(crossprod(Xc, yc))) / (n * ratio)
  alphas <- 10^seq(log10(amax), log10(amax * 1e-3), length.out = 100)
  sy <- sqrt(mean(yc^2))
  k <- ratio + (1 - ratio) * sy
  glmnet(X, y, family = "gaussian", alpha = ratio / k, lambda = alphas * k, standardize = FALSE)
}
fit <- run()
best <- Inf
for (r in seq_len(repeats)) {
  t <- proc.time()[["elapsed"]]
  for (i in seq_len(inner)) fit <- run()
  best <- min(best, (proc.time()[["elapsed"]] - t) / inner)
}
cat(sprintf("%.6f %d\n", best, sum(fit$beta[, ncol(fit$beta)] != 0)))
