#ifndef CLINUX_H
#define CLINUX_H
// Linux-only calls that Glibc's Swift overlay does not export.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <errno.h>
#include <unistd.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <malloc.h>  // malloc_usable_size, malloc_trim: memory accounting

int clinux_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
int clinux_errno(void);
// Names the calling thread (pthread_setname_np needs _GNU_SOURCE); truncated to 15 bytes.
void clinux_set_thread_name(const char *name);
// Puts the calling thread in the SCHED_IDLE policy (it runs only on a CPU nothing else wants),
// or at nice 19 where that is refused. Returns 0 or -1 (errno).
int clinux_set_thread_idle_policy(void);
// The calling thread's kernel id (gettid(2)): the TID of /proc/self/task/TID.
int clinux_thread_id(void);

// Flags that Glibc declares as C enums (imported as distinct Swift enum types) or macros:
// plain integer constants keep the Swift call sites free of rawValue conversions.
static const int CLINUX_SOCK_STREAM = SOCK_STREAM;
static const int CLINUX_SOCK_NONBLOCK = SOCK_NONBLOCK;
static const int CLINUX_SOCK_CLOEXEC = SOCK_CLOEXEC;
static const int CLINUX_MSG_NOSIGNAL = MSG_NOSIGNAL;
static const int CLINUX_MSG_PEEK = MSG_PEEK;
static const int CLINUX_MSG_DONTWAIT = MSG_DONTWAIT;
static const int CLINUX_EFD_CLOEXEC = EFD_CLOEXEC;
static const int CLINUX_EFD_NONBLOCK = EFD_NONBLOCK;
static const int CLINUX_EPOLL_CLOEXEC = EPOLL_CLOEXEC;
static const uint32_t CLINUX_EPOLLIN = EPOLLIN;
static const uint32_t CLINUX_EPOLLOUT = EPOLLOUT;
static const uint32_t CLINUX_EPOLLERR = EPOLLERR;
static const uint32_t CLINUX_EPOLLHUP = EPOLLHUP;
static const int CLINUX_SHUT_WR = SHUT_WR;
static const int CLINUX_IPPROTO_TCP = IPPROTO_TCP;
#endif
