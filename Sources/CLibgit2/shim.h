#ifndef KBM_CLIBGIT2_SHIM_H
#define KBM_CLIBGIT2_SHIM_H
#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/repository.h>
#include <git2/sys/stream.h>  // custom socket stream with timeouts (KBMGit/NetworkTimeouts.swift)

// Swift cannot call variadic C functions; these wrap the git_libgit2_opts calls kbm needs.
static inline int kbm_git_disable_owner_validation(void) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
}
// GIT_OPT_SET_SERVER_TIMEOUT / _CONNECT_TIMEOUT are enum constants added in libgit2 1.7, so they
// cannot be detected with #ifdef; test the version instead. On older libgit2 (1.5.1 here) these
// wrappers do nothing and return 0.
#define KBM_GIT_HAS_SERVER_TIMEOUTS \
    (LIBGIT2_VER_MAJOR > 1 || (LIBGIT2_VER_MAJOR == 1 && LIBGIT2_VER_MINOR >= 7))
static inline int kbm_git_has_server_timeouts(void) { return KBM_GIT_HAS_SERVER_TIMEOUTS; }
static inline int kbm_git_set_server_timeout(int ms) {
#if KBM_GIT_HAS_SERVER_TIMEOUTS
    return git_libgit2_opts(GIT_OPT_SET_SERVER_TIMEOUT, ms);
#else
    (void)ms; return 0;
#endif
}
static inline int kbm_git_set_server_connect_timeout(int ms) {
#if KBM_GIT_HAS_SERVER_TIMEOUTS
    return git_libgit2_opts(GIT_OPT_SET_SERVER_CONNECT_TIMEOUT, ms);
#else
    (void)ms; return 0;
#endif
}
#endif
