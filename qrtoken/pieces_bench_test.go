package qrtoken

import "testing"

// The pieces of Open, to see where its cost beyond the AEAD goes.

func BenchmarkBase45Decode(b *testing.B) {
	e := newEnv(b)
	text := e.issue(b, cafeClaims(), PurposeInternetCafe())
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := appendDecodeBase45(buf[:0], text); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseClaims(b *testing.B) {
	p := PurposeInternetCafe()
	pt, err := appendClaims(nil, &Claims{Name: "张三", IDNumber: exampleID}, &p, t0)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var c Claims
		if err := parseClaims(pt, &p, &c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDeriveOnlineKey is what Open would cost on top of the AEAD without the cache of
// per-window keys.
func BenchmarkDeriveOnlineKey(b *testing.B) {
	p := PurposeInternetCafe()
	secret := testSecret("k1")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := deriveOnlineKey(DefaultSuite(), secret, kindOnline, 1, &p, DefaultWindow, 1); err != nil {
			b.Fatal(err)
		}
	}
}
