package smsuite_test

import (
	"context"
	"testing"
	"time"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/smsuite"
)

// forgetfulGuard accepts every code, so that a fuzzed reader can open the seed codes again
// and again.
type forgetfulGuard struct{}

func (forgetfulGuard) Claim(context.Context, string, time.Time, time.Time) (bool, error) {
	return true, nil
}

// FuzzOpen: an SM reader never panics on any text, and accepts no text but the recorded
// vector codes (testdata/vectors.json): no mutation of an SM online or offline code opens.
func FuzzOpen(f *testing.F) {
	v := loadVectors(f)
	readers := map[string]*qrtoken.Reader{}
	for _, cv := range []*codeVector{&v.Online, &v.Offline} {
		_, rc, _ := cv.configs(f)
		rc.ReplayGuard = forgetfulGuard{}
		r, err := qrtoken.NewReader(rc)
		if err != nil {
			f.Fatal(err)
		}
		readers[cv.Text] = r
		f.Add(cv.Text)
	}
	f.Add("")
	f.Add("00")
	f.Fuzz(func(t *testing.T, text string) {
		for issued, r := range readers {
			if _, err := r.Open(t.Context(), text); err == nil && text != issued {
				t.Fatalf("Open accepted a text the issuer never made: %q", text)
			}
		}
	})
}

// FuzzGroupDecrypt: the SM2 envelope never panics and opens nothing but the recorded
// envelope.
func FuzzGroupDecrypt(f *testing.F) {
	ev := loadVectors(f).Envelope
	g := sm2Key(f, ev.GroupKey)
	info, aad := mustHex(f, ev.Info), mustHex(f, ev.AAD)
	enc, ct := mustHex(f, ev.Enc), mustHex(f, ev.Ciphertext)
	f.Add(enc, ct)
	f.Add(enc[:10], ct)
	f.Fuzz(func(t *testing.T, e2, c2 []byte) {
		if _, err := (smsuite.Suite{}).GroupDecrypt(g, e2, info, aad, c2); err == nil && (string(e2) != string(enc) || string(c2) != string(ct)) {
			t.Fatalf("GroupDecrypt opened a changed envelope: %x %x", e2, c2)
		}
	})
}

// FuzzVerify: SM2 verification never panics and accepts no signature of the message but
// the recorded one (another would need the private key).
func FuzzVerify(f *testing.F) {
	sv := loadVectors(f).Signature
	k := sm2Key(f, sv.SigningKey)
	msg, sig := mustHex(f, sv.Message), mustHex(f, sv.Signature)
	f.Add(sig)
	f.Add(make([]byte, 64))
	f.Fuzz(func(t *testing.T, sig2 []byte) {
		if (smsuite.Suite{}).Verify(&k.PublicKey, msg, sig2) && string(sig2) != string(sig) {
			t.Fatalf("Verify accepted a signature the issuer did not make: %x", sig2)
		}
	})
}

// FuzzSealOpen: the sealed-token AEAD never panics and opens nothing but what it sealed.
func FuzzSealOpen(f *testing.F) {
	a, err := smsuite.Suite{}.SealAEAD(testSecret("seal"), "info")
	if err != nil {
		f.Fatal(err)
	}
	nonce := make([]byte, a.NonceSize())
	ct := a.Seal(nil, nonce, []byte("payload"), []byte("ad"))
	f.Add(nonce, ct)
	f.Fuzz(func(t *testing.T, n2, c2 []byte) {
		if len(n2) != a.NonceSize() {
			return // the caller's contract, as for every cipher.AEAD
		}
		if _, err := a.Open(nil, n2, c2, []byte("ad")); err == nil && (string(n2) != string(nonce) || string(c2) != string(ct)) {
			t.Fatalf("Open accepted a changed token: %x %x", n2, c2)
		}
	})
}
