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

#include <sched.h>

int clinux_set_thread_idle_policy(void) {
    // pid 0 is the calling thread, not the whole process, on Linux (sched_setscheduler(2)).
    struct sched_param param = { .sched_priority = 0 };
    if (sched_setscheduler(0, SCHED_IDLE, &param) == 0) return 0;
    // Refused (a seccomp profile, say): the lowest nice value is the next best thing.
    errno = 0;
    return setpriority(PRIO_PROCESS, 0, 19);
}

#include <sys/syscall.h>
#include <unistd.h>

int clinux_thread_id(void) { return (int)syscall(SYS_gettid); }
