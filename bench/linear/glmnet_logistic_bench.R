# Times glmnet's family = "binomial" lasso path on a CSV (last column = 0/1 target), best of N runs.
# usage: Rscript glmnet_logistic_bench.R <csv> <repeats> [eps] [inner]
# Same problem as Occam's BinaryLogisticRegression.Path: (1/n)·Σ log-loss + λ·|w|₁ with glmnet's own standardization
# (standardize = TRUE, population sd: coefficients are penalized on the standardized scale, as Occam's
# Standardize = true), intercept, 100 λ from λ_max = max|X̃ᵀ(y − ȳ)|/n down to eps·λ_max (default eps 1e-2),
# glmnet's default thresh = 1e-7. Each timing runs the fit <inner> times (default 1) and divides (R's clock: 1 ms).
suppressMessages(library(glmnet))
args <- commandArgs(trailingOnly = TRUE)
d <- as.matrix(read.csv(args[1]))
repeats <- as.integer(args[2])
eps <- if (length(args) > 2) as.numeric(args[3]) else 1e-2
inner <- if (length(args) > 3) as.integer(args[4]) else 1L
X <- d[, -ncol(d)]; y <- d[, ncol(d)]
n <- nrow(X)
run <- function() {
  Xs <- scale(X, center = TRUE, scale = sqrt(colMeans(sweep(X, 2, colMeans(X))^2)))
  lmax <- max(abs(crossprod(Xs, y - mean(y)))) / n
  lambdas <- 10^seq(log10(lmax), log10(lmax * eps), length.out = 100)
  glmnet(X, y, family = "binomial", alpha = 1, lambda = lambdas, standardize = TRUE)
}
fit <- run()
best <- Inf
for (r in seq_len(repeats)) {
  t <- proc.time()[["elapsed"]]
  for (i in seq_len(inner)) fit <- run()
  best <- min(best, (proc.time()[["elapsed"]] - t) / inner)
}
cat(sprintf("%.6f %d\n", best, sum(fit$beta[, ncol(fit$beta)] != 0)))
