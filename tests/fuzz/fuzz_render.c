/* Fuzz target: brain-packet's renderers over any object (a stored packet
 * may be damaged).  Each renders without a crash to valid UTF-8; the HTML
 * page has as many '<' as the page of the same packet with every text
 * replaced by as many 'x': no text puts markup into the page. */
#include "fuzz.h"
#include "cmd/packet_render.h"
#include "pure/json.h"

static char *render(const cJSON *p, enum packet_format f, size_t *len)
{
	char *out = NULL;
	FILE *fp = open_memstream(&out, len);

	packet_render(p, f, fp);
	fclose(fp);
	FUZZ_ASSERT(json_utf8_valid(out, *len));
	return out;
}

/* Every string value of item made 'x's, byte for byte (member names kept). */
static void blank(cJSON *item)
{
	for (cJSON *c = item; c; c = c->next) {
		if (cJSON_IsString(c))
			memset(c->valuestring, 'x', strlen(c->valuestring));
		if (c->child)
			blank(c->child);
	}
}

static size_t count(const char *s, size_t len, char c)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += s[i] == c;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_loc loc = { "fuzz", 1 };
	cJSON *p = NULL;
	size_t len, blank_len;
	char *out, *plain;
	cJSON *copy;

	fuzz_quiet();
	if (json_parse_line((const char *)data, size, &loc, &p) != BRAIN_OK)
		return 0;
	free(render(p, PACKET_TEXT, &len));
	free(render(p, PACKET_MARKDOWN, &len));
	out = render(p, PACKET_HTML, &len);
	copy = cJSON_Duplicate(p, 1);
	blank(copy->child);
	plain = render(copy, PACKET_HTML, &blank_len);
	FUZZ_ASSERT(count(out, len, '<') == count(plain, blank_len, '<'));
	free(plain);
	free(out);
	cJSON_Delete(copy);
	cJSON_Delete(p);
	return 0;
}
