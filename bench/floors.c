/* The machine's floors for bench/floors.py (not part of the build): a pipe
 * round trip and a UNIX socket round trip between two processes, one
 * fork+exec (posix_spawn + waitpid) of a program, and an echo relay the
 * shells talk to (a FIFO in, a pipe out) for the shell-level floors.
 * Prints "name median_us p90_us" lines. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *name, double *v, int n) {
    qsort(v, n, sizeof *v, cmp);
    printf("%s %.2f %.2f\n", name, v[n / 2], v[n * 9 / 10]);
    fflush(stdout);
}

static void ping_pong(const char *name, int a[2], int b[2], int n) {
    double *v = malloc(sizeof(double) * n);
    pid_t pid = fork();
    char c = 'x';
    if (pid == 0) {
        for (int i = 0; i < n; ++i) {
            if (read(a[0], &c, 1) != 1) _exit(1);
            if (write(b[1], &c, 1) != 1) _exit(1);
        }
        _exit(0);
    }
    for (int i = 0; i < n; ++i) {
        double t = now_us();
        if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1) exit(1);
        v[i] = now_us() - t;
    }
    waitpid(pid, NULL, 0);
    report(name, v, n);
    free(v);
}

int main(int argc, char **argv) {
    if (argc >= 4 && strcmp(argv[1], "echo") == 0) {
        /* echo FIFO-IN: reads lines from the FIFO, answers each with 16 bytes on stdout. */
        int in = open(argv[2], O_RDWR);
        char buf[4096];
        const char *reply = argv[3];
        for (;;) {
            ssize_t got = read(in, buf, sizeof buf);
            if (got <= 0) return 0;
            for (ssize_t i = 0; i < got; ++i)
                if (buf[i] == '\n' && write(1, reply, strlen(reply)) < 0) return 0;
        }
    }
    int n = argc > 1 ? atoi(argv[1]) : 2000;
    int a[2], b[2];
    if (pipe(a) || pipe(b)) return 1;
    ping_pong("pipe_round_trip", a, b, n);
    int s[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, s)) return 1;
    int x[2] = {s[0], s[0]}, y[2] = {s[1], s[1]};
    /* parent writes on s[0] and reads s[0]; child reads s[1] and writes s[1] */
    int pa[2] = {y[0], x[1]}, pb[2] = {x[0], y[1]};
    ping_pong("unix_socket_round_trip", pa, pb, n);
    for (int k = 2; k < argc; ++k) {
        int m = n / 10 > 50 ? n / 10 : 50;
        double *v = malloc(sizeof(double) * m);
        char *args[] = {argv[k], (char *)"--version", NULL};
        for (int i = 0; i < m; ++i) {
            double t = now_us();
            pid_t pid;
            posix_spawn_file_actions_t fa;
            posix_spawn_file_actions_init(&fa);
            posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
            if (posix_spawn(&pid, argv[k], &fa, NULL, args, environ) != 0) return 1;
            waitpid(pid, NULL, 0);
            v[i] = now_us() - t;
            posix_spawn_file_actions_destroy(&fa);
        }
        char name[512];
        snprintf(name, sizeof name, "fork_exec:%s", argv[k]);
        report(name, v, m);
        free(v);
    }
    return 0;
}
