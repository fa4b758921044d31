package mrz

import "testing"

func benchmarkParse(b *testing.B, zone string) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(zone, ref); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseTD3(b *testing.B)     { benchmarkParse(b, specimenTD3) }
func BenchmarkParseTD1(b *testing.B)     { benchmarkParse(b, specimenTD1) }
func BenchmarkParseTD1Long(b *testing.B) { benchmarkParse(b, longTD1) }

func BenchmarkCheckDigit(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CheckDigit("L898902C36UTO7408122F1204159ZE184226B<<<<<1"); err != nil {
			b.Fatal(err)
		}
	}
}
