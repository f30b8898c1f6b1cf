#define _GNU_SOURCE
#include "CLinux.h"

int clinux_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) {
    return accept4(fd, addr, len, flags);
}

int clinux_errno(void) { return errno; }

#include <pthread.h>
#include <string.h>

void clinux_set_thread_name(const char *name) {
    char truncated[16];
    strncpy(truncated, name, sizeof truncated - 1);
    truncated[sizeof truncated - 1] = 0;
    pthread_setname_np(pthread_self(), truncated);
}

int clinux_lower_thread_priority(int nice) {
    // PRIO_PROCESS with who = 0 is the calling thread, not the whole process, on Linux.
    errno = 0;
    int current = getpriority(PRIO_PROCESS, 0);
    if (errno == 0 && current >= nice) return 0;
    return setpriority(PRIO_PROCESS, 0, nice);
}

#include <sys/syscall.h>
#include <unistd.h>

int clinux_thread_id(void) { return (int)syscall(SYS_gettid); }
