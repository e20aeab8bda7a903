/*
 * log.c - two-channel logger.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "log.h"

static const char *const level_names[] = { "error", "warn", "info",
    "debug" };
static const char *const channel_names[] = { "ops", "data" };

void
log_init(struct logger *lg, const char *prog, FILE *fp)
{
	memset(lg, 0, sizeof(*lg));
	lg->fp = fp;
	lg->prog = prog;
	lg->level[LOG_OPS] = LOG_INFO;
	lg->level[LOG_DATA] = LOG_INFO;
}

int
log_level_parse(const char *s, enum log_level *lvl)
{
	int i;

	if (strcasecmp(s, "warning") == 0) {
		*lvl = LOG_WARN;
		return 0;
	}
	for (i = 0; i <= LOG_DEBUG; i++) {
		if (strcasecmp(s, level_names[i]) == 0) {
			*lvl = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

void
log_vmsg(struct logger *lg, enum log_channel ch, enum log_level lvl,
    const char *fmt, va_list ap)
{
	struct buf	line = { 0 }, msg = { 0 };
	char		tbuf[32];
	struct timespec	ts;
	struct tm	tm;

	if (lg == NULL || lg->fp == NULL || lvl > lg->level[ch])
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(tbuf, sizeof(tbuf), "%Y-%m-%dT%H:%M:%S", &tm);
	buf_vprintf(&msg, fmt, ap);
	if (lg->json) {
		buf_printf(&line, "{\"time\":\"%s.%03ldZ\",\"level\":\"%s\","
		    "\"channel\":\"%s\",\"msg\":", tbuf, ts.tv_nsec / 1000000,
		    level_names[lvl], channel_names[ch]);
		buf_json_string(&line, msg.data ? msg.data : "");
		buf_puts(&line, "}\n");
	} else {
		buf_printf(&line, "%s.%03ldZ %-5s %-4s %s\n", tbuf,
		    ts.tv_nsec / 1000000, level_names[lvl], channel_names[ch],
		    msg.data ? msg.data : "");
	}
	if (!buf_failed(&line))
		fwrite(line.data, 1, line.len, lg->fp);
	fflush(lg->fp);
	buf_free(&line);
	buf_free(&msg);
}

void
log_msg(struct logger *lg, enum log_channel ch, enum log_level lvl,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(lg, ch, lvl, fmt, ap);
	va_end(ap);
}
