/* Unit tests for src/lib/owner.c: whose code is a frame. */
#include <check.h>

#include "owner.h"

Suite *suite_owner(void);

START_TEST(test_is_own)
{
	ck_assert(owner_is_own("main.fetchNoClose", "/src/app/main.go"));
	ck_assert(owner_is_own("main.(*registry).add", NULL));
	ck_assert(owner_is_own("github.com/acme/shop/cart.(*Cart).Add", "/src/shop/cart/cart.go"));
	/* standard library and runtime: no dot in the first element */
	ck_assert(!owner_is_own("net/http.(*Transport).dialConn", "/usr/lib/go/src/net/http/transport.go"));
	ck_assert(!owner_is_own("bufio.NewReaderSize", "bufio/bufio.go"));
	ck_assert(!owner_is_own("runtime.malg", "runtime/proc.go"));
	/* a dotted package path with a dot only after the first element */
	ck_assert(!owner_is_own("encoding/json.(*decodeState).object", ""));
	/* module dependencies: the module cache, vendor, -trimpath's @v */
	ck_assert(!owner_is_own("github.com/lib/pq.(*conn).recv", "/home/u/go/pkg/mod/github.com/lib/pq@v1.10.9/conn.go"));
	ck_assert(!owner_is_own("github.com/lib/pq.(*conn).recv", "/src/app/vendor/github.com/lib/pq/conn.go"));
	ck_assert(!owner_is_own("golang.org/x/net/http2.(*Framer).ReadFrame", "golang.org/x/net@v0.17.0/http2/frame.go"));
	ck_assert(!owner_is_own("", ""));
}
END_TEST

START_TEST(test_site_func)
{
	char b[64];

	ck_assert_str_eq(owner_site_func("bufio.NewReaderSize bufio/bufio.go:57", b, sizeof(b)), "bufio.NewReaderSize");
	ck_assert_str_eq(owner_site_func("main.f", b, sizeof(b)), "main.f");
	ck_assert_str_eq(owner_site_func("abcdefgh", b, 4), "abc");
}
END_TEST

Suite *suite_owner(void)
{
	Suite *s = suite_create("owner");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_is_own);
	tcase_add_test(tc, test_site_func);
	suite_add_tcase(s, tc);
	return s;
}
