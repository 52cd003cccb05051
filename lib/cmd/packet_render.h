/*
 * packet_render.h - a deal packet, as brain-packet stores it, for people:
 * an aligned text summary, Markdown, or a self-contained HTML page (every
 * text escaped).  A packet missing a member, or with one of the wrong
 * type, renders what it has.
 */
#ifndef BRAIN_PACKET_RENDER_H
#define BRAIN_PACKET_RENDER_H

#include <stdio.h>

#include <cjson/cJSON.h>


enum packet_format { PACKET_JSONL, PACKET_TEXT, PACKET_JSON, PACKET_MARKDOWN, PACKET_HTML };

/* p to fp as format (PACKET_TEXT, PACKET_MARKDOWN or PACKET_HTML). */
void packet_render(const cJSON *p, enum packet_format format, FILE *fp);

/* What may be sent to a buyer, as a new packet object: the property, its
 * comps, the price to the buyer, ARV, repairs and terms, titled by the
 * property's address; never the seller's name, the contract or asking
 * price, the assignment fee, the MAO, the buyer's maximum price, the fee
 * headroom, the closing, holding and selling costs and the buyer's profit
 * (the MAO's makings), the recommendation or the warnings (internal
 * notes). */
cJSON *packet_buyer_view(const cJSON *p);

/* Text into HTML: the five characters that mean something there escaped
 * (& < > " '), so that it stays text in an element and in a quoted
 * attribute alike; the one escape of every page the toolkit writes. */
void html_text(const char *s, FILE *fp);

/* The packet's one-line title: the lead, the deal value and the terms
 * when it has them ("Acme Corp - $250,000 (net 30)"). */
void packet_title(const cJSON *p, char *buf, size_t size);

#endif
