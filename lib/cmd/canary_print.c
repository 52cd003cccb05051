/* canary_print.c - a stepped canary's analysis as text; see
 * canary_print.h. */
#include <string.h>

#include "cmd/canary_print.h"
#include "cmd/table.h"
#include "banned.h"

/* A number for the table. */
static void cell_number(double x, char out[32])
{
	snprintf(out, 32, "%.4g", x);
}

/* A side's counts for the table: "0.12 (24/200)". */
static void cell_counts(const struct rollout_counts *c, char out[64])
{
	if (c->trials > 0)
		snprintf(out, 64, "%.4g (%.0f/%.0f)", c->successes / c->trials, c->successes,
			 c->trials);
	else
		snprintf(out, 64, "- (0/0)");
}

void canary_print_text(const struct canary_analysis *a, FILE *out)
{
	struct table *t = table_new(8, (const char *[]){ "METRIC", "COMPARISON", "SERVING",
							 "CANARY", "ESTIMATE", "INTERVAL",
							 "BOUND", "RESULT" });

	fprintf(out, "%s against %s at step %zu of %zu (%g %%): %s\n", a->canary, a->serving,
		a->step + 1, a->nsteps, a->steps[a->step], canary_action_name(a->d));
	for (size_t i = 0; i < a->p.n; i++) {
		const struct rollout_evidence *e = &a->e[i];
		char s[64], k[64], est[32] = "-", low[32], high[32], bound[32], interval[72] = "-";

		cell_counts(&a->o.serving[i], s);
		cell_counts(&a->o.canary[i], k);
		cell_number(e->bound, bound);
		if (e->has_interval) {
			cell_number(e->estimate, est);
			cell_number(e->low, low);
			cell_number(e->high, high);
			snprintf(interval, sizeof(interval), "[%s, %s]", low, high);
		}
		table_add(t, (const char *[]){ a->p.condition[i].metric,
					       rollout_comparison_name(a->p.condition[i].comparison),
					       s, k, est, interval, bound,
					       rollout_result_name(e->result) });
	}
	table_print(t, out);
	table_free(t);
	if (*a->since && a->o.before > 0)
		fprintf(out, "outcomes since %s: %.0f earlier line%s not counted\n", a->since,
			a->o.before, a->o.before == 1 ? "" : "s");
	fprintf(out, "%s\n", a->reason);
}
