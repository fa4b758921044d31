package qrtoken

import "testing"

func BenchmarkPieceBase45(b *testing.B) {
	e := newEnv(b)
	text := e.issue(b, cafeClaims(), PurposeInternetCafe)
	buf := make([]byte, 0, 256)
	for b.Loop() {
		appendDecodeBase45(buf[:0], text)
	}
}

func BenchmarkPieceParseClaims(b *testing.B) {
	p := PurposeInternetCafe
	pt, _ := appendClaims(nil, &Claims{Name: "张三", IDNumber: exampleID}, &p, t0)
	b.ReportAllocs()
	for b.Loop() {
		var o Opened
		parseClaims(pt, &p, &o.Claims)
	}
}

func BenchmarkPieceWindow(b *testing.B) {
	e := newEnv(b)
	for b.Loop() {
		e.reader.acceptWindow(t0, 12)
	}
}

func BenchmarkPieceAlloc(b *testing.B) {
	b.ReportAllocs()
	var sink *Opened
	for b.Loop() {
		sink = &Opened{}
	}
	_ = sink
}
