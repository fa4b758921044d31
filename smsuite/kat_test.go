package smsuite

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm4"
	"github.com/google/go-cmp/cmp"
)

// The standards' own examples (testdata/standards.json, each with its source):
//
//   - SM3: GB/T 32905-2016 Annex A, "abc" and the 64-byte "abcd"×16;
//   - SM4: GB/T 32907-2016 Annex A, example 1 (one encryption) and example 2 (the same
//     block encrypted 1 000 000 times);
//   - SM2: the signature example on the recommended curve of GM/T 0003.5-2012 (GB/T
//     32918.5-2017), default user ID. gmsm signs with a hedged nonce and takes no fixed
//     k, so the example is checked in the verify direction: the public key derived from
//     the private key, the example's signature accepted, and every single-bit change of
//     it (or of the message) refused.
type standards struct {
	SM3 []struct {
		Source       string
		MessageASCII string `json:"message_ascii"`
		Digest       string
	} `json:"sm3"`
	SM4 []struct {
		Source, Key, Plaintext, Ciphertext string
		Iterations                         int
	} `json:"sm4"`
	SM2 []struct {
		Source       string
		PrivateKey   string `json:"private_key"`
		PublicX      string `json:"public_x"`
		PublicY      string `json:"public_y"`
		MessageASCII string `json:"message_ascii"`
		R, S         string
	} `json:"sm2_signature"`
}

func loadStandards(t *testing.T) standards {
	t.Helper()
	b, err := os.ReadFile("testdata/standards.json")
	if err != nil {
		t.Fatal(err)
	}
	var s standards
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if len(s.SM3) == 0 || len(s.SM4) == 0 || len(s.SM2) == 0 {
		t.Fatal("testdata/standards.json lost its vectors")
	}
	return s
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSM3Standard(t *testing.T) {
	for _, v := range loadStandards(t).SM3 {
		h := Suite{}.NewHash()
		h.Write([]byte(v.MessageASCII))
		if diff := cmp.Diff(v.Digest, hex.EncodeToString(h.Sum(nil))); diff != "" {
			t.Errorf("%s: SM3 mismatch (-want +got):\n%s", v.Source, diff)
		}
	}
}

func TestSM4Standard(t *testing.T) {
	for _, v := range loadStandards(t).SM4 {
		if v.Iterations > 1 && testing.Short() {
			continue
		}
		b, err := sm4.NewCipher(unhex(t, v.Key))
		if err != nil {
			t.Fatal(err)
		}
		x := unhex(t, v.Plaintext)
		for range v.Iterations {
			b.Encrypt(x, x)
		}
		if diff := cmp.Diff(v.Ciphertext, hex.EncodeToString(x)); diff != "" {
			t.Errorf("%s: SM4 mismatch (-want +got):\n%s", v.Source, diff)
		}
		for range v.Iterations {
			b.Decrypt(x, x)
		}
		if diff := cmp.Diff(v.Plaintext, hex.EncodeToString(x)); diff != "" {
			t.Errorf("%s: SM4 decryption mismatch (-want +got):\n%s", v.Source, diff)
		}
	}
}

func TestSM2SignatureStandard(t *testing.T) {
	for _, v := range loadStandards(t).SM2 {
		k, err := sm2.NewPrivateKey(unhex(t, v.PrivateKey))
		if err != nil {
			t.Fatal(err)
		}
		var x, y [32]byte
		k.X.FillBytes(x[:])
		k.Y.FillBytes(y[:])
		if diff := cmp.Diff(v.PublicX+v.PublicY, hex.EncodeToString(x[:])+hex.EncodeToString(y[:])); diff != "" {
			t.Errorf("%s: public key mismatch (-want +got):\n%s", v.Source, diff)
		}
		sig := unhex(t, v.R+v.S)
		msg := []byte(v.MessageASCII)
		if !(Suite{}).Verify(&k.PublicKey, msg, sig) {
			t.Fatalf("%s: Verify refused the standard's signature", v.Source)
		}
		for i := range len(sig) * 8 {
			bad := append([]byte(nil), sig...)
			bad[i/8] ^= 1 << (i % 8)
			if (Suite{}).Verify(&k.PublicKey, msg, bad) {
				t.Fatalf("%s: Verify accepted the signature with bit %d flipped", v.Source, i)
			}
		}
		if (Suite{}).Verify(&k.PublicKey, []byte("message digesT"), sig) {
			t.Errorf("%s: Verify accepted another message", v.Source)
		}
		// Our own signatures under the same key verify, and are r | s of 64 bytes.
		own, err := Suite{}.Sign(k, msg)
		if err != nil || len(own) != sigSize || !(Suite{}).Verify(&k.PublicKey, msg, own) {
			t.Errorf("%s: Sign = %d bytes, %v; verified %v", v.Source, len(own), err, (Suite{}).Verify(&k.PublicKey, msg, own))
		}
	}
}
