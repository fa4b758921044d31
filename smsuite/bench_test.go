package smsuite_test

import (
	"testing"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/smsuite"
)

// suites are the two suites the benchmarks compare, in one run.
var suites = []struct {
	name  string
	suite qrtoken.Suite
}{
	{"default", nil},
	{"sm", smsuite.Suite{}},
}

// BenchmarkIssue: issuing an internet-cafe code, online and offline, under both suites.
func BenchmarkIssue(b *testing.B) {
	for _, s := range suites {
		e := newEnv(b, s.suite)
		b.Run(s.name+"/online", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.issuer.Issue(b.Context(), cafeClaims(), qrtoken.PurposeInternetCafe()); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(s.name+"/offline", func(b *testing.B) {
			b.ReportAllocs()
			g := e.group.Public()
			for b.Loop() {
				if _, err := e.issuer.IssueOffline(b.Context(), cafeClaims(), qrtoken.PurposeInternetCafe(), g); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkOpen: opening an internet-cafe code under both suites, each iteration a code
// not opened before (issued outside the timer), so the replay guard accepts it.
func BenchmarkOpen(b *testing.B) {
	for _, s := range suites {
		for _, offline := range []bool{false, true} {
			name := s.name + "/online"
			if offline {
				name = s.name + "/offline"
			}
			b.Run(name, func(b *testing.B) {
				e := newEnv(b, s.suite)
				codes := make([]string, 0, 1024)
				next := 0
				refill := func() {
					b.StopTimer()
					codes, next = codes[:0], 0
					for range cap(codes) {
						if offline {
							codes = append(codes, e.issueOffline(b, cafeClaims(), qrtoken.PurposeInternetCafe()))
						} else {
							codes = append(codes, e.issue(b, cafeClaims(), qrtoken.PurposeInternetCafe()))
						}
					}
					b.StartTimer()
				}
				refill()
				b.ReportAllocs()
				for b.Loop() {
					if next == len(codes) {
						refill()
					}
					if _, err := e.reader.Open(b.Context(), codes[next]); err != nil {
						b.Fatal(err)
					}
					next++
				}
			})
		}
	}
}
