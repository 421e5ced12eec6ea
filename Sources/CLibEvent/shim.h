#ifndef INTERNAL_API_SECURITY_CLIBEVENT_SHIM_H
#define INTERNAL_API_SECURITY_CLIBEVENT_SHIM_H

/* event2/event-config.h defines _GNU_SOURCE. Including the system headers first keeps
 * fd_set defined once, so a clean build and an incremental build agree. */
#include <sys/types.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/listener.h>
#include <event2/thread.h>
#include <event2/util.h>

#endif
