package idcard_test

import (
	"testing"

	"github.com/trustid/trustid/verify/idcard"
)

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := idcard.Parse(gbExample, refNow); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse15(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := idcard.Parse(gbExample15, refNow); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseLoose(b *testing.B) {
	o := idcard.Options{Now: refNow, LooseRegion: true}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := idcard.ParseWith(gbExample, o); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseError(b *testing.B) {
	bad := gbExample[:17] + "1"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := idcard.Parse(bad, refNow); err == nil {
			b.Fatal("no error")
		}
	}
}

func BenchmarkParseUnknownCounty(b *testing.B) {
	bad := full("11019919491231002")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := idcard.Parse(bad, refNow); err == nil {
			b.Fatal("no error")
		}
	}
}

func BenchmarkLookupRegion(b *testing.B) {
	codes := []string{"110105", "110223", "654326", "110199"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		idcard.LookupRegion(codes[i&3])
		i++
	}
}

func BenchmarkCheckChar(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := idcard.CheckChar(gbExample[:17]); err != nil {
			b.Fatal(err)
		}
	}
}
