/*
 * canary_print.h - a stepped canary's analysis as text, for brain-model
 * analyze and brain-gate analyze with --format=text: a headline, a row
 * per condition, the reason.
 *
 *     canary_print_text(a, stdout);
 */
#ifndef BRAIN_CANARY_PRINT_H
#define BRAIN_CANARY_PRINT_H

#include <stdio.h>

#include "core/canary_analysis.h"

/* Print the analysis a (borrowed, after canary_analysis_run) to out. */
void canary_print_text(const struct canary_analysis *a, FILE *out);

#endif
