"""Which BLAS a NumPy process runs, in one line, for the benchmark's report.

threadpoolctl where it is installed; else the OpenBLAS library NumPy loaded, asked through ctypes for its core
name and build configuration (the symbols carry the scipy-openblas prefix and suffix in NumPy's wheels); else
NumPy's build configuration. Also says whether OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE were set for this process:
they force OpenBLAS's kernel choice, and the benchmark unsets them so that NumPy runs its native kernel.
"""
import ctypes
import os


def describe(np):
    forced = ", ".join("%s=%s" % (v, os.environ[v]) for v in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
                       if v in os.environ) or "no OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (native kernel)"
    return "BLAS %s; %s" % (_blas(np), forced)


def _blas(np):
    try:
        import threadpoolctl
        infos = [i for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]
        if infos:
            return "; ".join("%s %s, core %s, %s threads" % (i.get("internal_api"), i.get("version"),
                                                             i.get("architecture"), i.get("num_threads"))
                             for i in infos)
    except ImportError:
        pass
    try:
        with open("/proc/self/maps") as maps:
            libs = sorted({f[-1] for f in map(str.split, maps) if "openblas" in f[-1].lower() and ".so" in f[-1]})
        for path in libs:
            lib = ctypes.CDLL(path)
            for prefix, suffix in (("scipy_openblas_", "64_"), ("scipy_openblas_", ""), ("openblas_", "")):
                try:
                    core = getattr(lib, prefix + "get_corename" + suffix)
                    config = getattr(lib, prefix + "get_config" + suffix)
                except AttributeError:
                    continue
                core.restype = ctypes.c_char_p
                config.restype = ctypes.c_char_p
                return "core %s (%s, %s)" % (core().decode(), config().decode(), os.path.basename(path))
    except OSError:
        pass
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return "%s %s (from NumPy's build configuration)" % (blas.get("name"), blas.get("version"))
    except Exception:  # NumPy before 1.25 has no mode="dicts"
        return "unknown"
