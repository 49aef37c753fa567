/* Decoding strategy: the outer Profile message is walked by hand, so
 * that the (possibly millions of) Sample messages are decoded one at a
 * time straight into the profile's flat arrays, without materialising
 * protobuf-c's per-sample structs (DESIGN: "walking the outer Profile's
 * fields yourself ... keeps peak memory near the input size").  The
 * small, rarer messages (ValueType, Mapping, Location, Function) are
 * unpacked with protobuf-c. */
#include "pprof.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "hash.h"
#include "profile.pb-c.h"
#include "strtab.h"
#include "xalloc.h"

struct span {
	const unsigned char *p;
	size_t n;
	size_t at; /* offset of the field (its key) in the data */
};

struct reader {
	const unsigned char *p, *end, *base;
};

/* Read a varint; returns 0 on success. */
static int rd_varint_slow(struct reader *r, uint64_t *v)
{
	uint64_t x = 0;
	int shift = 0;

	while (r->p < r->end) {
		unsigned char c = *r->p++;
		if (shift == 63 && c > 1)
			return -1; /* overlong / overflowing varint */
		x |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*v = x;
			return 0;
		}
		shift += 7;
		if (shift > 63)
			return -1;
	}
	return -1;
}

/* The one-byte case (most ids, keys and lengths) without a loop. */
static inline int rd_varint(struct reader *r, uint64_t *v)
{
	if (r->p < r->end && *r->p < 0x80) {
		*v = *r->p++;
		return 0;
	}
	return rd_varint_slow(r, v);
}

/* Read a field key and, for wire type 2, its payload; skip other
 * payloads.  Returns 0, 1 at end, -1 on malformed input. */
static int rd_field_slow(struct reader *r, uint32_t *field, int *wt, uint64_t *ival, struct span *s)
{
	uint64_t key, len;
	/* Messages give the offset of the field's first byte (its key). */
	size_t at = (size_t)(r->p - r->base);

	if (r->p >= r->end)
		return 1;
	if (rd_varint(r, &key) < 0)
		return err_set("malformed field key at byte %zu", at);
	*field = (uint32_t)(key >> 3);
	*wt = (int)(key & 7);
	if (key >> 3 == 0 || key >> 3 > 0x1fffffff)
		return err_set("invalid field number %llu at byte %zu", (unsigned long long)(key >> 3), at);
	switch (*wt) {
	case 0:
		if (rd_varint(r, ival) < 0)
			return err_set("malformed varint in field %u at byte %zu", *field, at);
		return 0;
	case 1:
		if (r->end - r->p < 8)
			return err_set("truncated fixed64 field %u at byte %zu", *field, at);
		memcpy(ival, r->p, 8);
		r->p += 8;
		return 0;
	case 5: {
		uint32_t v;
		if (r->end - r->p < 4)
			return err_set("truncated fixed32 field %u at byte %zu", *field, at);
		memcpy(&v, r->p, 4);
		*ival = v;
		r->p += 4;
		return 0;
	}
	case 2:
		if (rd_varint(r, &len) < 0)
			return err_set("malformed length of field %u at byte %zu", *field, at);
		if (len > (uint64_t)(r->end - r->p))
			return err_set("field %u at byte %zu has length %llu, past the end of the data", *field, at,
				       (unsigned long long)len);
		s->p = r->p;
		s->n = (size_t)len;
		s->at = at;
		r->p += len;
		return 0;
	default:
		return err_set("invalid wire type %d for field %u at byte %zu", *wt, *field, at);
	}
}

/* The common case inline: a one-byte key with a one-byte varint or a
 * one-byte length. */
static inline int rd_field(struct reader *r, uint32_t *field, int *wt, uint64_t *ival, struct span *s)
{
	const unsigned char *q = r->p;

	if (q >= r->end)
		return 1;
	if (r->end - q >= 2 && q[0] >= 8 && q[0] < 0x80 && q[1] < 0x80) {
		unsigned k = q[0];
		if ((k & 7) == 0) {
			*field = k >> 3;
			*wt = 0;
			*ival = q[1];
			r->p = q + 2;
			return 0;
		}
		if ((k & 7) == 2 && (ptrdiff_t)q[1] <= r->end - q - 2) {
			*field = k >> 3;
			*wt = 2;
			s->p = q + 2;
			s->n = q[1];
			s->at = (size_t)(q - r->base);
			r->p = q + 2 + q[1];
			return 0;
		}
	}
	return rd_field_slow(r, field, wt, ival, s);
}

struct decoder {
	struct profile *p;
	struct span *strs; /* string table */
	size_t nstrs, cap_strs;
	const char **istrs; /* interned lazily */
	struct u64map fn_ids, map_ids, loc_ids;
	uint32_t *loc_dense; /* id -> index + 1 (0: none) when ids are small */
	uint64_t nloc_dense;
	const unsigned char *base;
};

static int get_str(struct decoder *d, int64_t idx, const char **out, const char *what)
{
	if (idx < 0 || (uint64_t)idx >= d->nstrs)
		return err_set("%s refers to string %lld, outside the string table (%zu strings)", what,
			       (long long)idx, d->nstrs);
	if (!d->istrs[idx])
		d->istrs[idx] = intern_n((const char *)d->strs[idx].p, d->strs[idx].n);
	*out = d->istrs[idx];
	return 0;
}

/* Look an id up: dense ids 1..n in order are the common case. */
static int find_id(const struct u64map *m, uint64_t id, size_t n, uint64_t (*idof)(const struct profile *, size_t),
		   const struct profile *p, uint32_t *idx)
{
	uint64_t v;

	if (id >= 1 && id <= n && idof(p, (size_t)(id - 1)) == id) {
		*idx = (uint32_t)(id - 1);
		return 0;
	}
	if (u64map_get(m, id, &v)) {
		*idx = (uint32_t)v;
		return 0;
	}
	return -1;
}

static uint64_t fn_id(const struct profile *p, size_t i) { return p->functions[i].id; }
static uint64_t map_id(const struct profile *p, size_t i) { return p->mappings[i].id; }

static int add_id(struct u64map *m, uint64_t id, size_t idx, const char *what)
{
	int ins;

	if (id == 0)
		return err_set("%s %zu has id 0", what, idx + 1);
	u64map_put(m, id, idx, &ins);
	if (!ins)
		return err_set("duplicate %s id %llu", what, (unsigned long long)id);
	return 0;
}

static int decode_valtype(struct decoder *d, struct span s, struct pf_valtype *vt, const char *what)
{
	Perftools__Profiles__ValueType *m = perftools__profiles__value_type__unpack(NULL, s.n, s.p);
	int r = 0;

	if (!m)
		return err_set("corrupt %s message at byte %zu", what, s.at);
	if (get_str(d, m->type, &vt->type, what) < 0 || get_str(d, m->unit, &vt->unit, what) < 0)
		r = -1;
	perftools__profiles__value_type__free_unpacked(m, NULL);
	return r;
}

static int decode_function(struct decoder *d, struct span s)
{
	Perftools__Profiles__Function *m = perftools__profiles__function__unpack(NULL, s.n, s.p);
	const char *name, *sys, *file;
	struct pf_function *f;
	uint32_t i;
	int r = -1;

	if (!m)
		return err_set("corrupt function message at byte %zu", s.at);
	if (get_str(d, m->name, &name, "function name") < 0 ||
	    get_str(d, m->system_name, &sys, "function system name") < 0 ||
	    get_str(d, m->filename, &file, "function filename") < 0)
		goto out;
	i = profile_add_function(d->p, name, sys, file, m->start_line);
	f = &d->p->functions[i];
	f->id = m->id;
	if (add_id(&d->fn_ids, m->id, i, "function") < 0)
		goto out;
	r = 0;
out:
	perftools__profiles__function__free_unpacked(m, NULL);
	return r;
}

static int decode_mapping(struct decoder *d, struct span s)
{
	Perftools__Profiles__Mapping *m = perftools__profiles__mapping__unpack(NULL, s.n, s.p);
	struct pf_mapping pm;
	uint32_t i;
	int r = -1;

	if (!m)
		return err_set("corrupt mapping message at byte %zu", s.at);
	memset(&pm, 0, sizeof(pm));
	if (get_str(d, m->filename, &pm.file, "mapping filename") < 0 ||
	    get_str(d, m->build_id, &pm.build_id, "mapping build id") < 0)
		goto out;
	pm.id = m->id;
	pm.start = m->memory_start;
	pm.limit = m->memory_limit;
	pm.offset = m->file_offset;
	pm.has_functions = m->has_functions;
	pm.has_filenames = m->has_filenames;
	pm.has_line_numbers = m->has_line_numbers;
	pm.has_inline_frames = m->has_inline_frames;
	if (m->id == 0) {
		r = err_set("mapping %zu has id 0", d->p->nmappings + 1);
		goto out;
	}
	i = profile_add_mapping(d->p, &pm);
	if (add_id(&d->map_ids, m->id, i, "mapping") < 0)
		goto out;
	r = 0;
out:
	perftools__profiles__mapping__free_unpacked(m, NULL);
	return r;
}

/* Locations refer to mappings and functions, which may come later in
 * the file: keep the raw ids now, resolve in resolve_locations(). */
struct rawloc {
	uint64_t mapping_id;
	uint64_t *fn_ids; /* per line, into d->rawfn */
};

/* Decoded by hand, like samples: protobuf-c's unpack would allocate one
 * struct per Line, some 30 times the input's size for a hostile
 * location with millions of lines. */
static int decode_location(struct decoder *d, struct span s, uint64_t **mapping_ids, size_t *cap_mids,
			   uint64_t **line_fn_ids, size_t *cap_lfids)
{
	struct reader r = { s.p, s.p + s.n, d->base };
	struct pf_line *lines = NULL;
	size_t nlines = 0, cap_lines = 0;
	uint64_t id = 0, mapping_id = 0, address = 0, v;
	bool folded = false;
	uint32_t field, i;
	int wt, ret;
	struct span sub;

	while ((ret = rd_field(&r, &field, &wt, &v, &sub)) == 0) {
		if (field >= 1 && field <= 5 && wt != (field == 4 ? 2 : 0))
			goto corrupt;
		if (field == 1) {
			id = v;
		} else if (field == 2) {
			mapping_id = v;
		} else if (field == 3) {
			address = v;
		} else if (field == 5) {
			folded = v != 0;
		} else if (field == 4) {
			struct reader lr = { sub.p, sub.p + sub.n, d->base };
			struct pf_line ln = { PF_NONE, 0, 0 };
			uint64_t fid = 0;
			uint32_t lf;
			int lwt;
			struct span lsub;

			while ((ret = rd_field(&lr, &lf, &lwt, &v, &lsub)) == 0) {
				if (lf >= 1 && lf <= 3 && lwt != 0)
					goto corrupt;
				if (lf == 1)
					fid = v;
				else if (lf == 2)
					ln.line = (int64_t)v;
				else if (lf == 3)
					ln.column = (int64_t)v;
			}
			if (ret < 0)
				goto corrupt;
			xgrow(&lines, &cap_lines, nlines + 1, sizeof(*lines));
			xgrow(line_fn_ids, cap_lfids, d->p->nlines + nlines + 1, sizeof(uint64_t));
			lines[nlines] = ln;
			(*line_fn_ids)[d->p->nlines + nlines] = fid;
			nlines++;
		}
	}
	if (ret < 0)
		goto corrupt;
	i = profile_add_location(d->p, PF_NONE, address, lines, nlines);
	free(lines);
	d->p->locations[i].id = id;
	d->p->locations[i].is_folded = folded;
	xgrow(mapping_ids, cap_mids, (size_t)i + 1, sizeof(uint64_t));
	(*mapping_ids)[i] = mapping_id;
	return add_id(&d->loc_ids, id, i, "location");
corrupt:
	free(lines);
	return err_set("corrupt location message at byte %zu", s.at);
}

/* Location id -> index: Go writes ids 1..n in order, so the id is
 * checked against the dense guess before the map is asked. */
static inline int loc_index(const struct decoder *d, uint64_t id, uint32_t *idx)
{
	const struct profile *p = d->p;
	uint64_t v;

	if (id < d->nloc_dense) {
		if (!d->loc_dense[id])
			return -1;
		*idx = d->loc_dense[id] - 1;
		return 0;
	}
	if (id - 1 < p->nlocations && p->locations[id - 1].id == id) {
		*idx = (uint32_t)(id - 1);
		return 0;
	}
	if (u64map_get(&d->loc_ids, id, &v)) {
		*idx = (uint32_t)v;
		return 0;
	}
	return -1;
}

/* Decode one Label message by hand. */
static int decode_label(struct decoder *d, struct span s, size_t sampleno, struct pf_label *lab)
{
	struct reader r = { s.p, s.p + s.n, d->base };
	int64_t key = 0, str = 0, unit = 0;
	uint32_t field;
	int wt, ret;
	uint64_t v;
	struct span sub;

	lab->num = 0;
	lab->str = NULL;
	while ((ret = rd_field(&r, &field, &wt, &v, &sub)) == 0) {
		if (field < 1 || field > 4)
			continue;
		if (wt != 0)
			return err_set("corrupt label in sample %zu at byte %zu", sampleno + 1, s.at);
		switch (field) {
		case 1: key = (int64_t)v; break;
		case 2: str = (int64_t)v; break;
		case 3: lab->num = (int64_t)v; break;
		case 4: unit = (int64_t)v; break;
		}
	}
	if (ret < 0)
		return err_set("corrupt label in sample %zu at byte %zu", sampleno + 1, s.at);
	if (get_str(d, key, &lab->key, "label key") < 0)
		return -1;
	if (str != 0 && get_str(d, str, &lab->str, "label value") < 0)
		return -1;
	return get_str(d, unit, &lab->unit, "label unit");
}

/* Decode one Sample message by hand into the profile's arrays (the hot
 * loop of loading a big profile: room is reserved once per packed run,
 * not once per id). */
static int decode_sample(struct decoder *d, struct span s, size_t sampleno)
{
	struct profile *p = d->p;
	struct reader r = { s.p, s.p + s.n, d->base };
	size_t nvalues = 0, nlocs = 0, nlabels = 0;
	uint32_t field;
	int wt, ret;
	uint64_t v;
	struct span sub;
	struct pf_sample *smp;
	int64_t *vals;

	xgrow(&p->samples, &p->cap_samples, p->nsamples + 1, sizeof(*smp));
	xgrow(&p->values, &p->cap_values, (p->nsamples + 1) * p->ntypes, sizeof(int64_t));
	smp = &p->samples[p->nsamples];
	smp->loc_start = (uint32_t)p->nstacks;
	smp->label_start = (uint32_t)p->nlabels;
	vals = p->values + p->nsamples * p->ntypes; /* values is never NULL (profile_new) */

#define ADD_LOC(id)                                                                                 \
	do {                                                                                        \
		uint32_t li_;                                                                       \
		if (loc_index(d, (id), &li_) < 0)                                                   \
			return err_set("sample %zu refers to unknown location id %llu", sampleno + 1, \
				       (unsigned long long)(id));                                   \
		p->stacks[p->nstacks++] = li_;                                                      \
		nlocs++;                                                                            \
	} while (0)
#define ADD_VAL(x)                                                                                     \
	do {                                                                                           \
		if (nvalues >= p->ntypes)                                                              \
			return err_set("sample %zu has more values than the %zu sample types", sampleno + 1, \
				       p->ntypes);                                                     \
		vals[nvalues++] = (int64_t)(x);                                                        \
	} while (0)
#define ROOM(n)                                                                                     \
	do {                                                                                        \
		if (p->nstacks + (n) + 1 >= PF_NONE)                                                \
			return err_set("too many stack frames");                                  \
		xgrow(&p->stacks, &p->cap_stacks, p->nstacks + (n), sizeof(uint32_t));             \
	} while (0)

	while ((ret = rd_field(&r, &field, &wt, &v, &sub)) == 0) {
		if (field == 1 || field == 2) {
			if (wt == 0) {
				if (field == 1) {
					ROOM(1);
					ADD_LOC(v);
				} else {
					ADD_VAL(v);
				}
			} else if (wt == 2) {
				struct reader pr = { sub.p, sub.p + sub.n, d->base };
				if (field == 1) {
					/* The hot loop: ids of one byte that are
					 * dense (id = index + 1), kept in locals so
					 * the compiler need not reload through p. */
					const uint32_t *dense = d->loc_dense;
					uint64_t nd = d->nloc_dense;
					uint32_t *out, *o;
					const unsigned char *q = pr.p, *qe = pr.end;

					ROOM(sub.n); /* at least one byte per id */
					out = o = p->stacks + p->nstacks;
					while (q < qe) {
						uint64_t id = q[0];
						size_t used = 1;

						if (id >= 0x80) {
							if (qe - q < 2 || q[1] >= 0x80)
								break;
							id = (id & 0x7f) | (uint64_t)q[1] << 7;
							used = 2;
						}
						if (id >= nd || !dense[id])
							break;
						*o++ = dense[id] - 1;
						q += used;
					}
					p->nstacks += (size_t)(o - out);
					nlocs += (size_t)(o - out);
					pr.p = q;
				}
				while (pr.p < pr.end) {
					if (rd_varint(&pr, &v) < 0)
						return err_set("malformed packed varint in sample %zu at byte %zu",
							       sampleno + 1, (size_t)(pr.p - d->base));
					if (field == 1)
						ADD_LOC(v);
					else
						ADD_VAL(v);
				}
			} else {
				return err_set("sample %zu: wrong wire type %d for field %u", sampleno + 1, wt, field);
			}
		} else if (field == 3) {
			struct pf_label lab;

			if (wt != 2)
				return err_set("sample %zu: wrong wire type %d for label", sampleno + 1, wt);
			if (decode_label(d, sub, sampleno, &lab) < 0)
				return -1;
			if (p->nlabels + 1 >= PF_NONE)
				return err_set("too many labels");
			xgrow(&p->labels, &p->cap_labels, p->nlabels + 1, sizeof(lab));
			p->labels[p->nlabels++] = lab;
			nlabels++;
		}
		/* unknown fields are skipped, as protobuf requires */
	}
	if (ret < 0)
		return -1;
	if (nvalues != p->ntypes)
		return err_set("sample %zu has %zu values, but the profile has %zu sample types", sampleno + 1,
			       nvalues, p->ntypes);
	smp->nlocs = (uint32_t)nlocs;
	smp->nlabels = (uint32_t)nlabels;
	p->nsamples++;
	return 0;
#undef ADD_LOC
#undef ADD_VAL
#undef ROOM
}

/* Reserve the stack and label arrays of all samples at once, from their
 * fields' headers: the packed location ids' byte lengths (an id takes at
 * least one byte, so this bounds the frames; the unused tail is never
 * touched, so it costs address space, not memory) and the count of
 * labels.  Growing them by doubling instead copied the stacks several
 * times over: a quarter of `drip top` on a deep profile.  Malformed
 * samples stop the count; decode_sample reports them. */
static void reserve_samples(struct profile *p, const struct span *smp, size_t n, const unsigned char *base)
{
	size_t i, nlocs = 0, nlabels = 0;

	for (i = 0; i < n; i++) {
		struct reader r = { smp[i].p, smp[i].p + smp[i].n, base };
		uint32_t field;
		int wt;
		uint64_t v;
		struct span sub;

		while (rd_field(&r, &field, &wt, &v, &sub) == 0) {
			if (field == 1)
				nlocs += wt == 2 ? sub.n : 1;
			else if (field == 3)
				nlabels++;
		}
	}
	if (nlocs >= PF_NONE)
		nlocs = PF_NONE - 1; /* decode_sample says "too many stack frames" */
	if (nlabels >= PF_NONE)
		nlabels = PF_NONE - 1;
	xgrow(&p->stacks, &p->cap_stacks, p->nstacks + nlocs + 1, sizeof(uint32_t));
	xgrow(&p->labels, &p->cap_labels, p->nlabels + nlabels + 1, sizeof(struct pf_label));
}

/* The wire type profile.proto gives each Profile field (0 = unknown). */
static int profile_wire_type(uint32_t field)
{
	if ((field >= 1 && field <= 6) || field == 11)
		return 2;
	if (field >= 7 && field <= 15)
		return 0; /* 13 (comment) may also be packed: 2 */
	return -1;
}

int pprof_looks_like(const unsigned char *data, size_t len)
{
	struct reader r = { data, data + len, data };
	uint32_t field;
	int wt, k;
	uint64_t v;
	struct span s;

	if (len == 0)
		return 0;
	/* The first few fields must be Profile fields with their wire
	 * types: text and random bytes fail this within a few bytes. */
	for (k = 0; k < 4 && r.p < r.end; k++) {
		if (rd_field(&r, &field, &wt, &v, &s) != 0)
			return 0;
		if (wt != profile_wire_type(field) && !(field == 13 && wt == 2))
			return 0;
	}
	return 1;
}

struct profile *pprof_decode(const unsigned char *data, size_t len)
{
	struct decoder d;
	struct reader r = { data, data + len, data };
	struct profile *p = profile_new();
	uint32_t field;
	int wt, ret;
	uint64_t v;
	struct span s;
	struct span *sample_types = NULL, *msgs[4] = { NULL, NULL, NULL, NULL };
	size_t nst = 0, cap_st = 0, nmsg[4] = { 0, 0, 0, 0 }, capmsg[4] = { 0, 0, 0, 0 };
	struct span period_type = { NULL, 0, 0 };
	int64_t drop = 0, keep = 0, dflt = 0, docurl = 0;
	int64_t *comments = NULL;
	size_t ncomments = 0, cap_comments = 0, i;
	uint64_t *mapping_ids = NULL, *line_fn_ids = NULL;
	size_t cap_mids = 0, cap_lfids = 0;
	struct pf_valtype *types = NULL;
	enum { M_SAMPLE, M_MAPPING, M_LOCATION, M_FUNCTION };

	memset(&d, 0, sizeof(d));
	d.p = p;
	d.base = data;
	if (len == 0) {
		err_set("empty file");
		goto fail;
	}

	/* Pass 0: count the top-level messages, so that each list of spans
	 * is allocated once at its size instead of grown by doubling (a
	 * malformed field stops the count; pass 1 reports it). */
	{
		struct reader c = r;
		size_t cnt[7] = { 0, 0, 0, 0, 0, 0, 0 };

		while (rd_field(&c, &field, &wt, &v, &s) == 0)
			if (field < 7)
				cnt[field]++;
		xgrow(&msgs[M_SAMPLE], &capmsg[M_SAMPLE], cnt[2] + 1, sizeof(s));
		xgrow(&msgs[M_MAPPING], &capmsg[M_MAPPING], cnt[3] + 1, sizeof(s));
		xgrow(&msgs[M_LOCATION], &capmsg[M_LOCATION], cnt[4] + 1, sizeof(s));
		xgrow(&msgs[M_FUNCTION], &capmsg[M_FUNCTION], cnt[5] + 1, sizeof(s));
		xgrow(&d.strs, &d.cap_strs, cnt[6] + 1, sizeof(s));
	}
	/* Pass 1: find every top-level field. */
	for (;;) {
		size_t at = (size_t)(r.p - data);
		int want;

		if ((ret = rd_field(&r, &field, &wt, &v, &s)) != 0)
			break;
		want = profile_wire_type(field);
		if (field == 13 && wt == 2)
			want = 2; /* packed comments */
		if (field > 15)
			continue;
		if (wt != want) {
			err_set("wrong wire type %d for profile field %u at byte %zu", wt, field, at);
			goto fail;
		}
		switch (field) {
		case 1:
			xgrow(&sample_types, &cap_st, nst + 1, sizeof(s));
			sample_types[nst++] = s;
			break;
		case 2:
		case 3:
		case 4:
		case 5: {
			int k = field == 2 ? M_SAMPLE : field == 3 ? M_MAPPING : field == 4 ? M_LOCATION : M_FUNCTION;
			xgrow(&msgs[k], &capmsg[k], nmsg[k] + 1, sizeof(s));
			msgs[k][nmsg[k]++] = s;
			break;
		}
		case 6:
			xgrow(&d.strs, &d.cap_strs, d.nstrs + 1, sizeof(s));
			d.strs[d.nstrs++] = s;
			break;
		case 7: drop = (int64_t)v; break;
		case 8: keep = (int64_t)v; break;
		case 9: p->time_nanos = (int64_t)v; break;
		case 10: p->duration_nanos = (int64_t)v; break;
		case 11: period_type = s; break;
		case 12: p->period = (int64_t)v; break;
		case 13:
			if (wt == 0) {
				xgrow(&comments, &cap_comments, ncomments + 1, sizeof(int64_t));
				comments[ncomments++] = (int64_t)v;
			} else {
				struct reader pr = { s.p, s.p + s.n, data };
				while (pr.p < pr.end) {
					if (rd_varint(&pr, &v) < 0) {
						err_set("malformed comment list at byte %zu", (size_t)(pr.p - data));
						goto fail;
					}
					xgrow(&comments, &cap_comments, ncomments + 1, sizeof(int64_t));
					comments[ncomments++] = (int64_t)v;
				}
			}
			break;
		case 14: dflt = (int64_t)v; break;
		case 15: docurl = (int64_t)v; break;
		default: break;
		}
	}
	if (ret < 0)
		goto fail;
	if (d.nstrs == 0) {
		err_set("not a profile: no string table");
		goto fail;
	}
	if (d.strs[0].n != 0) {
		err_set("string_table[0] must be the empty string");
		goto fail;
	}
	d.istrs = xcalloc(d.nstrs, sizeof(*d.istrs));

	types = xreallocarray(NULL, nst ? nst : 1, sizeof(*types));
	for (i = 0; i < nst; i++)
		if (decode_valtype(&d, sample_types[i], &types[i], "sample type") < 0)
			goto fail;
	profile_set_types(p, types, nst);
	if (period_type.p && decode_valtype(&d, period_type, &p->period_type, "period type") < 0)
		goto fail;
	if (get_str(&d, drop, &p->drop_frames, "drop_frames") < 0 ||
	    get_str(&d, keep, &p->keep_frames, "keep_frames") < 0 ||
	    get_str(&d, docurl, &p->doc_url, "doc_url") < 0)
		goto fail;
	if (dflt) {
		const char *name;
		if (get_str(&d, dflt, &name, "default_sample_type") < 0)
			goto fail;
		for (i = 0; i < nst; i++)
			if (types[i].type == name) {
				p->default_type = (int)i;
				break;
			}
	}
	for (i = 0; i < ncomments; i++) {
		const char *c;
		if (get_str(&d, comments[i], &c, "comment") < 0)
			goto fail;
		profile_add_comment(p, c);
	}

	for (i = 0; i < nmsg[M_FUNCTION]; i++)
		if (decode_function(&d, msgs[M_FUNCTION][i]) < 0)
			goto fail;
	for (i = 0; i < nmsg[M_MAPPING]; i++)
		if (decode_mapping(&d, msgs[M_MAPPING][i]) < 0)
			goto fail;
	for (i = 0; i < nmsg[M_LOCATION]; i++)
		if (decode_location(&d, msgs[M_LOCATION][i], &mapping_ids, &cap_mids, &line_fn_ids, &cap_lfids) < 0)
			goto fail;
	/* Resolve location -> mapping and line -> function. */
	for (i = 0; i < p->nlocations; i++) {
		struct pf_location *l = &p->locations[i];
		uint32_t k;

		if (mapping_ids[i] != 0 &&
		    find_id(&d.map_ids, mapping_ids[i], p->nmappings, map_id, p, &l->mapping) < 0) {
			err_set("location id %llu refers to unknown mapping id %llu", (unsigned long long)l->id,
				(unsigned long long)mapping_ids[i]);
			goto fail;
		}
		for (k = 0; k < l->nlines; k++) {
			uint64_t fid = line_fn_ids[l->line_start + k];
			struct pf_line *ln = &p->lines[l->line_start + k];
			if (fid != 0 && find_id(&d.fn_ids, fid, p->nfunctions, fn_id, p, &ln->function) < 0) {
				err_set("location id %llu refers to unknown function id %llu",
					(unsigned long long)l->id, (unsigned long long)fid);
				goto fail;
			}
		}
	}
	/* Location ids -> indexes as a flat table when the ids are small
	 * (Go writes 1..n), for the samples' hot loop. */
	{
		uint64_t maxid = 0;

		for (i = 0; i < p->nlocations; i++)
			if (p->locations[i].id > maxid)
				maxid = p->locations[i].id;
		if (maxid <= 2 * (uint64_t)p->nlocations + 1024) {
			d.nloc_dense = maxid + 1;
			d.loc_dense = xcalloc((size_t)d.nloc_dense, sizeof(uint32_t));
			for (i = 0; i < p->nlocations; i++)
				d.loc_dense[p->locations[i].id] = (uint32_t)i + 1;
		}
	}
	/* Room for every sample up front: one allocation, no regrowth. */
	xgrow(&p->samples, &p->cap_samples, nmsg[M_SAMPLE] + 1, sizeof(*p->samples));
	xgrow(&p->values, &p->cap_values, (nmsg[M_SAMPLE] + 1) * (p->ntypes ? p->ntypes : 1), sizeof(int64_t));
	reserve_samples(p, msgs[M_SAMPLE], nmsg[M_SAMPLE], data);
	for (i = 0; i < nmsg[M_SAMPLE]; i++)
		if (decode_sample(&d, msgs[M_SAMPLE][i], i) < 0)
			goto fail;

	p->format = PF_FORMAT_PPROF;
	goto out;
fail:
	profile_free(p);
	p = NULL;
out:
	free(sample_types);
	for (i = 0; i < 4; i++)
		free(msgs[i]);
	free(comments);
	free(mapping_ids);
	free(line_fn_ids);
	free(types);
	free(d.strs);
	free(d.istrs);
	free(d.loc_dense);
	u64map_release(&d.fn_ids);
	u64map_release(&d.map_ids);
	u64map_release(&d.loc_ids);
	return p;
}
