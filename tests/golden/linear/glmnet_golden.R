# Golden values for Occam's linear models from glmnet 4.1-6 (Debian r-cran-glmnet).
# Run from the repository root:  Rscript tests/golden/linear/glmnet_golden.R
# Writes tests/golden/linear/glmnet.json.
#
# Mapping between glmnet and Occam (= scikit-learn) conventions:
# * Gaussian: glmnet documents (1/(2n))RSS + lambda*(a*|b|_1 + (1-a)/2*|b|^2), but it always divides y by
#   its population sd s_y, fits with lambda/s_y and scales back, so in the original scale it solves
#   (1/(2n))RSS + lambda*a*|b|_1 + lambda*(1-a)/(2*s_y)*|b|^2.
#   Occam's (alpha, rho) is therefore glmnet's lambda = alpha*(rho + (1-rho)*s_y), a = rho/(rho + (1-rho)*s_y).
#   For the lasso (rho = 1) this is simply lambda = alpha.
# * Binomial: glmnet minimizes -(1/n)loglik + lambda*penalty with no y scaling: lambda = alpha.
#   standardize = TRUE uses the population (1/n) sd, like Occam's Standardize = true.
suppressMessages(library(glmnet))

args <- commandArgs(trailingOnly = FALSE)
script <- sub("--file=", "", args[grep("--file=", args)])
root <- normalizePath(file.path(dirname(script), "..", "..", ".."))
out <- file.path(root, "tests", "golden", "linear", "glmnet.json")

num <- function(v) paste0("[", paste(sprintf("%.17g", v), collapse = ","), "]")
mat <- function(m) paste0("[", paste(apply(m, 2, num), collapse = ","), "]")  # one array per column (lambda)

d <- read.csv(file.path(root, "data", "diabetes.csv"))
X <- as.matrix(d[, 1:10]); y <- d$progression
n <- nrow(X)
X <- sweep(X, 2, colMeans(X)); X <- sweep(X, 2, sqrt(colSums(X^2)), "/")
yc <- y - mean(y)
sy <- sqrt(mean(yc^2))

grid <- function(ratio) {
  amax <- max(abs(crossprod(X, yc))) / (n * ratio)
  10^seq(log10(amax), log10(amax * 1e-3), length.out = 100)
}
thr <- 1e-14
parts <- c()
for (spec in list(list("lassoPath", 1.0), list("enetPath", 0.5))) {
  name <- spec[[1]]; ratio <- spec[[2]]
  alphas <- grid(ratio)
  k <- ratio + (1 - ratio) * sy
  fit <- glmnet(X, y, family = "gaussian", alpha = ratio / k, lambda = alphas * k,
                standardize = FALSE, thresh = thr, maxit = 1e7)
  b <- as.matrix(fit$beta)
  a0 <- fit$a0
  parts <- c(parts, sprintf('"%s":{"l1Ratio":%.17g,"alphas":%s,"coefs":%s,"intercepts":%s,"nonzero":%s}',
                            name, ratio, num(alphas), mat(b), num(a0), num(colSums(b != 0))))
}

# 5-fold contiguous CV on the lasso grid (fold sizes as scikit-learn's KFold: first n %% 5 folds one larger).
sizes <- rep(n %/% 5, 5); sizes[seq_len(n %% 5)] <- sizes[seq_len(n %% 5)] + 1
foldid <- rep(1:5, times = sizes)
alphas <- grid(1.0)
cvfit <- cv.glmnet(X, y, family = "gaussian", alpha = 1, lambda = alphas, standardize = FALSE,
                   thresh = thr, foldid = foldid, maxit = 1e7)
parts <- c(parts, sprintf('"cv":{"alphas":%s,"cvm":%s,"cvsd":%s,"lambdaMin":%.17g,"lambda1se":%.17g}',
                          num(cvfit$lambda), num(cvfit$cvm), num(cvfit$cvsd), cvfit$lambda.min, cvfit$lambda.1se))

# Penalized logistic regression on breast cancer, standardized, glmnet's own lambda grid.
bc <- read.csv(file.path(root, "data", "breast_cancer.csv"))
Xb <- as.matrix(bc[, setdiff(names(bc), "benign")]); yb <- bc$benign
for (spec in list(list("logisticLasso", 1.0), list("logisticEnet", 0.5))) {
  name <- spec[[1]]; ratio <- spec[[2]]
  fit <- glmnet(Xb, yb, family = "binomial", alpha = ratio, nlambda = 30, lambda.min.ratio = 1e-2,
                standardize = TRUE, thresh = thr, maxit = 1e7)
  b <- as.matrix(fit$beta)
  parts <- c(parts, sprintf('"%s":{"l1Ratio":%.17g,"alphas":%s,"coefs":%s,"intercepts":%s,"nonzero":%s,"devRatio":%s}',
                            name, ratio, num(fit$lambda), mat(b), num(fit$a0), num(colSums(b != 0)), num(fit$dev.ratio)))
}

writeLines(paste0('{"glmnet":"', as.character(packageVersion("glmnet")), '",', paste(parts, collapse = ","), "}"), out)
cat("wrote", out, "\n")
