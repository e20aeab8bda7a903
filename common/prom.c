/*
 * prom.c - Prometheus text exposition helpers.
 */
#include <math.h>

#include "prom.h"

static void
prom_escape(struct buf *b, const char *s, int quote)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			buf_puts(b, "\\\\");
		else if (*s == '\n')
			buf_puts(b, "\\n");
		else if (*s == '"' && quote)
			buf_puts(b, "\\\"");
		else
			buf_add(b, s, 1);
	}
}

void
prom_header(struct buf *b, const char *name, const char *type,
    const char *help)
{
	buf_printf(b, "# HELP %s ", name);
	prom_escape(b, help, 0);
	buf_printf(b, "\n# TYPE %s %s\n", name, type);
}

void
prom_sample(struct buf *b, const char *name, const char *const *labels,
    size_t nlabels, double value)
{
	size_t i;

	buf_puts(b, name);
	if (nlabels > 0) {
		buf_puts(b, "{");
		for (i = 0; i < nlabels; i++) {
			buf_printf(b, "%s%s=\"", i ? "," : "", labels[2 * i]);
			prom_escape(b, labels[2 * i + 1], 1);
			buf_puts(b, "\"");
		}
		buf_puts(b, "}");
	}
	if (isnan(value))
		buf_puts(b, " NaN\n");
	else if (isinf(value))
		buf_puts(b, value > 0 ? " +Inf\n" : " -Inf\n");
	else if (fabs(value) < 1e15 && value == (double)(long long)value)
		buf_printf(b, " %lld\n", (long long)value);
	else
		buf_printf(b, " %.17g\n", value);
}
