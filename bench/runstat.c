/* runstat: run a command N times with stdout sent to /dev/null (stderr
 * kept) and print "WALL_SECONDS MAX_RSS_KB STATUS CPU_SECONDS": the best
 * wall time of the runs, the largest peak resident set (wait4's
 * ru_maxrss of the child alone), the last exit status (128+signal when
 * killed), and the best user+system CPU time (less disturbed than wall
 * time by other jobs on the machine).
 *
 *   runstat [-n RUNS] [-t TIMEOUT_S] COMMAND [ARG...]
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int runs = 1, timeout = 0, c, i, status = 0;
	double best = -1, bestcpu = -1;
	long maxrss = 0;

	while ((c = getopt(argc, argv, "+n:t:")) != -1) {
		if (c == 'n')
			runs = atoi(optarg);
		else if (c == 't')
			timeout = atoi(optarg);
		else
			return 2;
	}
	if (optind >= argc || runs < 1) {
		fprintf(stderr, "usage: runstat [-n RUNS] [-t TIMEOUT_S] COMMAND [ARG...]\n");
		return 2;
	}
	for (i = 0; i < runs; i++) {
		struct rusage ru;
		double t0 = now(), dt;
		pid_t pid = fork(), w;

		if (pid < 0) {
			perror("runstat: fork");
			return 2;
		}
		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);
			if (fd >= 0)
				dup2(fd, 1);
			if (timeout > 0)
				alarm((unsigned)timeout); /* survives exec: SIGALRM ends the child */
			execvp(argv[optind], argv + optind);
			perror("runstat: exec");
			_exit(127);
		}
		do
			w = wait4(pid, &status, 0, &ru);
		while (w < 0);
		dt = now() - t0;
		if (best < 0 || dt < best)
			best = dt;
		{
			double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
				     (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
			if (bestcpu < 0 || cpu < bestcpu)
				bestcpu = cpu;
		}
		if (ru.ru_maxrss > maxrss)
			maxrss = ru.ru_maxrss;
		status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		if (status != 0)
			break;
	}
	printf("%.3f %ld %d %.3f\n", best, maxrss, status, bestcpu);
	return 0;
}
