# Objective of glmnet's solution at every alpha of the bench grid, for bench/linear/objective_gap.sh.
# usage: Rscript glmnet_objectives.R <csv> <gaussian|binomial> <l1_ratio> <eps> <out.csv>
# Same problems, grids and settings as glmnet_bench.R (gaussian: standardize = FALSE, the lambda/a mapping for rho < 1)
# and glmnet_logistic_bench.R (binomial: standardize = TRUE, lasso). The objective is evaluated here from the returned
# coefficients exactly as LinearBench evaluates Occam's: gaussian (1/(2n))||y - Xb - a0||^2 + alpha*(rho|b|_1 +
# (1-rho)/2 |b|^2); binomial mean log-loss + alpha*sum_j s_j|b_j| (s_j population sd). Writes "alpha,objective,nonzero".
suppressMessages(library(glmnet))
args <- commandArgs(trailingOnly = TRUE)
d <- as.matrix(read.csv(args[1])); family <- args[2]; ratio <- as.numeric(args[3]); eps <- as.numeric(args[4])
X <- d[, -ncol(d)]; y <- d[, ncol(d)]; n <- nrow(X)
sd0 <- sqrt(colMeans(sweep(X, 2, colMeans(X))^2))
if (family == "gaussian") {
  yc <- y - mean(y); Xc <- sweep(X, 2, colMeans(X))
  amax <- max(abs(crossprod(Xc, yc))) / (n * ratio)
  alphas <- 10^seq(log10(amax), log10(amax * eps), length.out = 100)
  sy <- sqrt(mean(yc^2)); k <- ratio + (1 - ratio) * sy
  fit <- glmnet(X, y, family = "gaussian", alpha = ratio / k, lambda = alphas * k, standardize = FALSE)
  obj <- sapply(seq_along(alphas), function(i) {
    b <- fit$beta[, i]; r <- y - fit$a0[i] - X %*% b
    sum(r^2) / (2 * n) + alphas[i] * (ratio * sum(abs(b)) + (1 - ratio) / 2 * sum(b^2))
  })
} else {
  Xs <- scale(X, center = TRUE, scale = sd0)
  amax <- max(abs(crossprod(Xs, y - mean(y)))) / n
  alphas <- 10^seq(log10(amax), log10(amax * eps), length.out = 100)
  fit <- glmnet(X, y, family = "binomial", alpha = 1, lambda = alphas, standardize = TRUE)
  obj <- sapply(seq_along(alphas), function(i) {
    b <- fit$beta[, i]; eta <- as.vector(fit$a0[i] + X %*% b)
    mean(pmax(eta, 0) + log1p(exp(-abs(eta))) - y * eta) + alphas[i] * sum(sd0 * abs(b))
  })
}
write.csv(data.frame(alpha = alphas, objective = obj, nonzero = colSums(fit$beta != 0)), args[5], row.names = FALSE)
