package pgstore

import (
	"errors"
	"testing"
)

// FuzzOpenRecord feeds arbitrary bytes, as a stored row would hold them, to the decoders
// of the sealed records: the sealer of each domain, then the record decoders. Property:
// no panic; bytes that do not authenticate are ErrNotAuthentic, opened bytes that do not
// decode are ErrCorrupt; only the seeds this sealer made open.
func FuzzOpenRecord(f *testing.F) {
	domains := []string{domainReviewCase, domainLivenessConsent, domainRelyingConsent, domainRelyingHandoff}
	sealers := make([]*sealer, len(domains))
	for i, d := range domains {
		s, err := newSealer(testKeys, d)
		if err != nil {
			f.Fatal(err)
		}
		sealers[i] = s
		f.Add(uint8(i), "id-1", s.seal("id-1", []byte(`{"subject":"s","purpose":"biometric"}`)))
	}
	f.Add(uint8(0), "id-1", []byte{})
	f.Add(uint8(1), "", []byte{sealFormat, 0, 0, 0, 7})
	f.Fuzz(func(t *testing.T, domain uint8, id string, sealed []byte) {
		s := sealers[int(domain)%len(sealers)]
		p, err := s.open(id, sealed)
		if err != nil {
			if !errors.Is(err, ErrNotAuthentic) {
				t.Fatalf("open: %v, want ErrNotAuthentic", err)
			}
			p = sealed // the decoders must survive anything too
		}
		if _, err := decodeLivenessConsent(id, p); err != nil && !errors.Is(err, ErrCorrupt) {
			t.Fatalf("decodeLivenessConsent: %v", err)
		}
		if _, err := decodeRelyingConsent(id, p); err != nil && !errors.Is(err, ErrCorrupt) {
			t.Fatalf("decodeRelyingConsent: %v", err)
		}
	})
}
