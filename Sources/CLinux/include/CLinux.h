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

int clinux_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
int clinux_errno(void);
#endif
