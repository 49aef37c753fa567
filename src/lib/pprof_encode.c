/* pprof_encode: a struct profile back to profile.proto bytes, written by
 * hand (protobuf's wire format is simple, and this avoids building
 * millions of protobuf-c structs for a big profile).  Strings are
 * collected into a string table in first-use order, "" first; ids are
 * the model's ids (index + 1 where a model id is 0). */
#include "pprof.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "strtab.h"
#include "xalloc.h"

struct enc {
	struct buf *out;
	struct u64map str_ix; /* interned pointer -> string table index */
	const char **strs;
	size_t nstrs, cap_strs;
	struct buf tmp, tmp2; /* scratch for nested messages */
};

/* Room for n more bytes (and the NUL) without a call in the common
 * case: a merged profile is millions of small fields. */
static inline void room(struct buf *b, size_t n)
{
	if (b->len + n >= b->cap)
		buf_reserve(b, n);
}

static inline void put_varint(struct buf *b, uint64_t v)
{
	unsigned char *t;

	room(b, 10);
	t = (unsigned char *)b->data + b->len;
	while (v >= 0x80) {
		*t++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*t++ = (unsigned char)v;
	b->len = (size_t)((char *)t - b->data);
	b->data[b->len] = 0;
}

static inline void put_key(struct buf *b, uint32_t field, int wt)
{
	put_varint(b, ((uint64_t)field << 3) | (uint64_t)wt);
}

/* A varint field, omitted when 0 (proto3 default). */
static inline void put_uint(struct buf *b, uint32_t field, uint64_t v)
{
	if (!v)
		return;
	put_key(b, field, 0);
	put_varint(b, v);
}

static inline void put_bytes(struct buf *b, uint32_t field, const void *p, size_t n)
{
	put_key(b, field, 2);
	put_varint(b, n);
	room(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
}

/* Index of an interned string in the table being built. */
static uint64_t str_index(struct enc *e, const char *s)
{
	int ins;
	uint64_t *v;

	if (!s || !*s)
		return 0;
	v = u64map_put(&e->str_ix, (uint64_t)(uintptr_t)s, e->nstrs, &ins);
	if (ins) {
		xgrow(&e->strs, &e->cap_strs, e->nstrs + 1, sizeof(*e->strs));
		e->strs[e->nstrs++] = s;
	}
	return *v;
}

static void put_valtype(struct enc *e, struct buf *b, uint32_t field, const struct pf_valtype *vt)
{
	struct buf *t = &e->tmp2;

	buf_reset(t);
	put_uint(t, 1, str_index(e, vt->type));
	put_uint(t, 2, str_index(e, vt->unit));
	put_bytes(b, field, t->data ? t->data : "", t->len);
}

static uint64_t id_or(uint64_t id, size_t i)
{
	return id ? id : (uint64_t)i + 1;
}

static size_t varint_len(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

static void put_samples(struct enc *e, const struct profile *p)
{
	struct buf *t = &e->tmp, *pk = &e->tmp2;
	uint64_t *locid = xreallocarray(NULL, p->nlocations + 1, sizeof(*locid));
	size_t i, k, idlen = 1, est;

	/* the locations' ids at hand (not a location struct per frame) */
	for (i = 0; i < p->nlocations; i++) {
		locid[i] = id_or(p->locations[i].id, i);
		if (varint_len(locid[i]) > idlen)
			idlen = varint_len(locid[i]);
	}
	/* Room for the samples at once (an estimate from the longest id
	 * and 3-byte values and labels fields): growing by doubling copied
	 * the buffer again and again and touched fresh memory each time. */
	est = p->nstacks * idlen + p->nsamples * (12 + p->ntypes * 3) + p->nlabels * 12;
	buf_reserve(e->out, est);
	for (i = 0; i < p->nsamples; i++) {
		const struct pf_sample *s = &p->samples[i];
		const uint32_t *stk = pf_stack(p, s);
		const int64_t *v = pf_values(p, i);

		buf_reset(t);
		if (s->nlocs) {
			unsigned char *q;

			buf_reset(pk);
			room(pk, s->nlocs * 10);
			q = (unsigned char *)pk->data;
			for (k = 0; k < s->nlocs; k++) {
				uint64_t id = locid[stk[k]];
				while (id >= 0x80) {
					*q++ = (unsigned char)(id | 0x80);
					id >>= 7;
				}
				*q++ = (unsigned char)id;
			}
			pk->len = (size_t)((char *)q - pk->data);
			pk->data[pk->len] = 0;
			put_bytes(t, 1, pk->data, pk->len);
		}
		if (p->ntypes) {
			buf_reset(pk);
			for (k = 0; k < p->ntypes; k++)
				put_varint(pk, (uint64_t)v[k]);
			put_bytes(t, 2, pk->data, pk->len);
		}
		for (k = 0; k < s->nlabels; k++) {
			const struct pf_label *l = &p->labels[s->label_start + k];

			buf_reset(pk);
			put_uint(pk, 1, str_index(e, l->key));
			if (l->str) {
				put_uint(pk, 2, str_index(e, l->str));
			} else {
				put_uint(pk, 3, (uint64_t)l->num);
				put_uint(pk, 4, str_index(e, l->unit));
			}
			put_bytes(t, 3, pk->data ? pk->data : "", pk->len);
		}
		put_bytes(e->out, 2, t->data ? t->data : "", t->len);
	}
	free(locid);
}

static void put_mappings(struct enc *e, const struct profile *p)
{
	struct buf *t = &e->tmp;
	size_t i;

	for (i = 0; i < p->nmappings; i++) {
		const struct pf_mapping *m = &p->mappings[i];

		buf_reset(t);
		put_uint(t, 1, id_or(m->id, i));
		put_uint(t, 2, m->start);
		put_uint(t, 3, m->limit);
		put_uint(t, 4, m->offset);
		put_uint(t, 5, str_index(e, m->file));
		put_uint(t, 6, str_index(e, m->build_id));
		put_uint(t, 7, m->has_functions);
		put_uint(t, 8, m->has_filenames);
		put_uint(t, 9, m->has_line_numbers);
		put_uint(t, 10, m->has_inline_frames);
		put_bytes(e->out, 3, t->data, t->len);
	}
}

static void put_locations(struct enc *e, const struct profile *p)
{
	struct buf *t = &e->tmp, *ln = &e->tmp2;
	size_t i, k;

	for (i = 0; i < p->nlocations; i++) {
		const struct pf_location *l = &p->locations[i];

		buf_reset(t);
		put_uint(t, 1, id_or(l->id, i));
		if (l->mapping != PF_NONE)
			put_uint(t, 2, id_or(p->mappings[l->mapping].id, l->mapping));
		put_uint(t, 3, l->address);
		for (k = 0; k < l->nlines; k++) {
			const struct pf_line *x = &p->lines[l->line_start + k];

			buf_reset(ln);
			if (x->function != PF_NONE)
				put_uint(ln, 1, id_or(p->functions[x->function].id, x->function));
			put_uint(ln, 2, (uint64_t)x->line);
			put_uint(ln, 3, (uint64_t)x->column);
			put_bytes(t, 4, ln->data ? ln->data : "", ln->len);
		}
		put_uint(t, 5, l->is_folded);
		put_bytes(e->out, 4, t->data, t->len);
	}
}

static void put_functions(struct enc *e, const struct profile *p)
{
	struct buf *t = &e->tmp;
	size_t i;

	for (i = 0; i < p->nfunctions; i++) {
		const struct pf_function *f = &p->functions[i];

		buf_reset(t);
		put_uint(t, 1, id_or(f->id, i));
		put_uint(t, 2, str_index(e, f->name));
		put_uint(t, 3, str_index(e, f->system_name));
		put_uint(t, 4, str_index(e, f->filename));
		put_uint(t, 5, (uint64_t)f->start_line);
		put_bytes(e->out, 5, t->data, t->len);
	}
}

void pprof_encode(const struct profile *p, struct buf *out)
{
	struct enc e;
	size_t i;
	uint64_t drop, keep, dflt, doc;
	uint64_t *comments;

	memset(&e, 0, sizeof(e));
	e.out = out;
	xgrow(&e.strs, &e.cap_strs, 1, sizeof(*e.strs));
	e.strs[e.nstrs++] = intern_empty();

	for (i = 0; i < p->ntypes; i++)
		put_valtype(&e, out, 1, &p->types[i]);
	put_samples(&e, p);
	put_mappings(&e, p);
	put_locations(&e, p);
	put_functions(&e, p);

	/* Strings the scalar fields refer to join the table before it is
	 * written; the scalar fields follow it. */
	drop = str_index(&e, p->drop_frames);
	keep = str_index(&e, p->keep_frames);
	dflt = p->default_type >= 0 && (size_t)p->default_type < p->ntypes
		       ? str_index(&e, p->types[p->default_type].type)
		       : 0;
	doc = str_index(&e, p->doc_url);
	comments = xreallocarray(NULL, p->ncomments + 1, sizeof(*comments));
	for (i = 0; i < p->ncomments; i++)
		comments[i] = str_index(&e, p->comments[i]);
	/* period_type's strings too: encode it into a scratch buffer now. */
	{
		struct buf pt = BUF_INIT;
		int have_pt = *p->period_type.type || *p->period_type.unit;

		if (have_pt)
			put_valtype(&e, &pt, 11, &p->period_type);
		for (i = 0; i < e.nstrs; i++)
			put_bytes(out, 6, e.strs[i], strlen(e.strs[i]));
		put_uint(out, 7, drop);
		put_uint(out, 8, keep);
		put_uint(out, 9, (uint64_t)p->time_nanos);
		put_uint(out, 10, (uint64_t)p->duration_nanos);
		if (have_pt)
			buf_add(out, pt.data, pt.len);
		buf_release(&pt);
	}
	put_uint(out, 12, (uint64_t)p->period);
	if (p->ncomments) {
		buf_reset(&e.tmp);
		for (i = 0; i < p->ncomments; i++)
			put_varint(&e.tmp, comments[i]);
		put_bytes(out, 13, e.tmp.data, e.tmp.len);
	}
	put_uint(out, 14, dflt);
	put_uint(out, 15, doc);

	free(comments);
	free(e.strs);
	u64map_release(&e.str_ix);
	buf_release(&e.tmp);
	buf_release(&e.tmp2);
}
