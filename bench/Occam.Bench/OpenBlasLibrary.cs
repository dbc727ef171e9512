namespace Occam.Bench;

/// <summary>
/// OpenBLAS's CBLAS <c>sgemm</c> and thread setting, loaded from a given library file (bench/openblas.sh finds one:
/// Debian's libopenblas0-pthread, unpacked if the system has none). Row-major, α = 1, β = 0: C = op(A)·op(B).
/// </summary>
internal sealed unsafe class OpenBlasLibrary
{
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;
    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;
    private readonly delegate* unmanaged<int, void> _setThreads;

    public OpenBlasLibrary(string path)
    {
        nint lib = System.Runtime.InteropServices.NativeLibrary.Load(path);
        _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)
            System.Runtime.InteropServices.NativeLibrary.GetExport(lib, "cblas_sgemm");
        _setThreads = (delegate* unmanaged<int, void>)System.Runtime.InteropServices.NativeLibrary.GetExport(lib, "openblas_set_num_threads");
    }

    public void SetThreads(int threads) => _setThreads(threads);

    public void Sgemm(bool ta, bool tb, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc) =>
        _sgemm(RowMajor, ta ? Trans : NoTrans, tb ? Trans : NoTrans, m, n, k, 1f, a, lda, b, ldb, 0f, c, ldc);
}
