package qrtoken

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Test vectors from RFC 9285 "The Base45 Data Encoding", §4.3 (Encoding Examples) and
// §4.4 (Decoding Example).
var base45Vectors = []struct{ raw, enc string }{
	{"AB", "BB8"},
	{"Hello!!", "%69 VD92EX0"},
	{"base-45", "UJCLQE7W581"},
	{"ietf!", "QED8WEX0"},
	{"", ""},
}

func TestBase45Vectors(t *testing.T) {
	for _, v := range base45Vectors {
		if got := EncodeBase45([]byte(v.raw)); got != v.enc {
			t.Errorf("EncodeBase45(%q) = %q, want %q", v.raw, got, v.enc)
		}
		got, err := DecodeBase45(v.enc)
		if err != nil {
			t.Fatalf("DecodeBase45(%q): %v", v.enc, err)
		}
		if diff := cmp.Diff(v.raw, string(got)); diff != "" {
			t.Errorf("DecodeBase45(%q) mismatch (-want +got):\n%s", v.enc, diff)
		}
	}
}

func TestBase45Invalid(t *testing.T) {
	for _, in := range []string{
		"A",        // length 1 mod 3 (RFC 9285 §4.2)
		"BB8A",     // ditto
		"GGW",      // 65536 + ... : "GGW" = 16 + 16*45 + 32*2025 = 65536 > 65535 (RFC 9285 §4.2)
		":::",      // 44+44*45+44*2025 = 91124
		"::",       // final pair 44+44*45 = 2024 > 255
		"bb8",      // lower case is outside the alphabet
		"BB\x00",   // NUL
		"BB8\xff0", // non-ASCII
	} {
		if _, err := DecodeBase45(in); !errors.Is(err, ErrMalformed) {
			t.Errorf("DecodeBase45(%q) error = %v, want ErrMalformed", in, err)
		}
	}
}

func TestBase45RoundTripAllPairs(t *testing.T) {
	// Every 2-byte value and every 1-byte value encode and decode back, and no two values
	// share a text (canonical form).
	seen := make(map[string]bool)
	for v := range 1 << 16 {
		in := []byte{byte(v >> 8), byte(v)}
		enc := EncodeBase45(in)
		if seen[enc] {
			t.Fatalf("two values encode to %q", enc)
		}
		seen[enc] = true
		got, err := DecodeBase45(enc)
		if err != nil || !bytes.Equal(got, in) {
			t.Fatalf("round trip %x -> %q -> %x, %v", in, enc, got, err)
		}
	}
	for v := range 256 {
		got, err := DecodeBase45(EncodeBase45([]byte{byte(v)}))
		if err != nil || !bytes.Equal(got, []byte{byte(v)}) {
			t.Fatalf("round trip %x: %x, %v", v, got, err)
		}
	}
}

// FuzzBase45Decode checks that decoding never panics, that whatever decodes re-encodes to
// the same text (one text per byte string), and that every byte string round-trips.
func FuzzBase45Decode(f *testing.F) {
	for _, v := range base45Vectors {
		f.Add(v.enc)
	}
	f.Add("GGW")
	f.Add("::")
	f.Add("A")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := DecodeBase45(s)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("DecodeBase45(%q) error %v does not match ErrMalformed", s, err)
			}
		} else if enc := EncodeBase45(b); enc != s {
			t.Fatalf("DecodeBase45(%q) = %x, which encodes to %q", s, b, enc)
		}
		raw := []byte(s)
		enc := EncodeBase45(raw)
		back, err := DecodeBase45(enc)
		if len(enc) > MaxCodeText {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("DecodeBase45 of %d characters: error %v, want ErrMalformed", len(enc), err)
			}
			return
		}
		if err != nil || !bytes.Equal(back, raw) {
			t.Fatalf("round trip of %x: %x, %v", raw, back, err)
		}
	})
}
