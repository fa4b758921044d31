package smsuite_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"testing"
	"testing/cryptotest"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/smsuite"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/wallet"
)

// The suite's own wire-format vectors (testdata/vectors.json): fixed keys, times and the
// seed of the test's randomness. Each is checked in both directions: the fixed bytes open
// to the recorded values, and producing them again under cryptotest.SetGlobalRandom(seed)
// gives the recorded bytes exactly, so that a change to a label, an info string, the AAD
// or the layout on both sides fails. Regenerate (only for a deliberate format change) with
//
//	go test -run '^TestVectors$' ./smsuite -update
var update = flag.Bool("update", false, "rewrite testdata/vectors.json")

type codeVector struct {
	Seed       uint64    `json:"seed"`
	Secret     string    `json:"secret,omitempty"`      // online master key (hex)
	SigningKey string    `json:"signing_key,omitempty"` // offline: SM2 private scalar of the issuer (hex)
	GroupKey   string    `json:"group_key,omitempty"`   // offline: SM2 private scalar of the reader group (hex)
	KeyID      uint8     `json:"key_id"`
	GroupID    uint8     `json:"group_id,omitempty"`
	IssuedAt   time.Time `json:"issued_at"`
	OpenedAt   time.Time `json:"opened_at"`
	Name       string    `json:"name"`
	IDNumber   string    `json:"id_number"`
	Text       string    `json:"text"`
}

type sealAEADVector struct {
	Secret     string `json:"secret"`
	Info       string `json:"info_hex"`
	Nonce      string `json:"nonce"`
	Plaintext  string `json:"plaintext"`
	AD         string `json:"ad"`
	Ciphertext string `json:"ciphertext"`
}

type recordVector struct {
	Seed   uint64 `json:"seed"`
	Secret string `json:"secret"`
	KeyID  uint32 `json:"key_id"`
	Holder string `json:"holder"`
	Data   string `json:"data"`
	Sealed string `json:"sealed"` // the record as the inner store keeps it
}

type envelopeVector struct {
	Seed       uint64 `json:"seed"`
	GroupKey   string `json:"group_key"` // SM2 private scalar (hex)
	Info       string `json:"info"`
	AAD        string `json:"aad"`
	Plaintext  string `json:"plaintext"`
	Enc        string `json:"enc"`
	Ciphertext string `json:"ciphertext"`
}

type signatureVector struct {
	Seed       uint64 `json:"seed"`
	SigningKey string `json:"signing_key"` // SM2 private scalar (hex)
	Message    string `json:"message"`
	Signature  string `json:"signature"` // r | s
}

type vectors struct {
	Online       codeVector      `json:"online_cafe"`
	Offline      codeVector      `json:"offline_cafe"`
	SealAEAD     sealAEADVector  `json:"seal_aead"`
	WalletRecord recordVector    `json:"wallet_record"`
	Envelope     envelopeVector  `json:"group_envelope"`
	Signature    signatureVector `json:"signature"`
}

func loadVectors(t testing.TB) vectors {
	t.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func sm2Key(t testing.TB, scalarHex string) *sm2.PrivateKey {
	t.Helper()
	d, err := hex.DecodeString(scalarHex)
	if err != nil {
		t.Fatal(err)
	}
	k, err := sm2.NewPrivateKey(d)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (v *codeVector) configs(t testing.TB) (qrtoken.IssuerConfig, qrtoken.ReaderConfig, qrtoken.GroupPublicKey) {
	t.Helper()
	ic := qrtoken.IssuerConfig{Suite: smsuite.Suite{}, Now: func() time.Time { return v.IssuedAt }}
	rc := qrtoken.ReaderConfig{
		Suite:       smsuite.Suite{},
		Purposes:    []qrtoken.Purpose{qrtoken.PurposeInternetCafe()},
		Now:         func() time.Time { return v.OpenedAt },
		ReplayGuard: store.NewMemoryReplayGuard(),
	}
	var group qrtoken.GroupPublicKey
	if v.Secret != "" {
		k := qrtoken.SecretKey{ID: v.KeyID, Secret: mustHex(t, v.Secret)}
		ic.Key, rc.Keys = &k, []qrtoken.SecretKey{k}
	}
	if v.SigningKey != "" {
		sk, err := sm2.NewPrivateKey(mustHex(t, v.SigningKey))
		if err != nil {
			t.Fatal(err)
		}
		gk, err := sm2.NewPrivateKey(mustHex(t, v.GroupKey))
		if err != nil {
			t.Fatal(err)
		}
		s := qrtoken.SigningKey{ID: v.KeyID, Key: sk}
		g := qrtoken.GroupPrivateKey{ID: v.GroupID, Key: gk}
		ic.SigningKey = &s
		rc.IssuerKeys, rc.GroupKeys = []qrtoken.IssuerPublicKey{s.Public()}, []qrtoken.GroupPrivateKey{g}
		group = g.Public()
	}
	return ic, rc, group
}

func (v *codeVector) check(t *testing.T, offline bool) string {
	t.Helper()
	ic, rc, group := v.configs(t)
	r, err := qrtoken.NewReader(rc)
	if err != nil {
		t.Fatal(err)
	}
	if v.Text != "" {
		o, err := r.Open(context.Background(), v.Text)
		if err != nil {
			t.Fatalf("Open(recorded text): %v", err)
		}
		if diff := cmp.Diff([2]string{v.Name, v.IDNumber}, [2]string{o.Claims.Name, o.Claims.IDNumber}); diff != "" {
			t.Errorf("opened claims mismatch (-want +got):\n%s", diff)
		}
	}
	is, err := qrtoken.NewIssuer(ic)
	if err != nil {
		t.Fatal(err)
	}
	cryptotest.SetGlobalRandom(t, v.Seed)
	c := qrtoken.Claims{Name: v.Name, IDNumber: v.IDNumber}
	var code qrtoken.Code
	if offline {
		code, err = is.IssueOffline(context.Background(), c, qrtoken.PurposeInternetCafe(), group)
	} else {
		code, err = is.Issue(context.Background(), c, qrtoken.PurposeInternetCafe())
	}
	if err != nil {
		t.Fatal(err)
	}
	if !*update {
		if diff := cmp.Diff(v.Text, code.Text()); diff != "" {
			t.Errorf("re-issued text mismatch (-want +got):\n%s", diff)
		}
	}
	return code.Text()
}

func TestVectors(t *testing.T) {
	v := loadVectors(t)
	t.Run("online", func(t *testing.T) { v.Online.Text = v.Online.check(t, false) })
	t.Run("offline", func(t *testing.T) { v.Offline.Text = v.Offline.check(t, true) })
	t.Run("seal AEAD", func(t *testing.T) {
		a, err := smsuite.Suite{}.SealAEAD(mustHex(t, v.SealAEAD.Secret), string(mustHex(t, v.SealAEAD.Info)))
		if err != nil {
			t.Fatal(err)
		}
		nonce, ad := mustHex(t, v.SealAEAD.Nonce), mustHex(t, v.SealAEAD.AD)
		ct := a.Seal(nil, nonce, mustHex(t, v.SealAEAD.Plaintext), ad)
		if *update {
			v.SealAEAD.Ciphertext = hex.EncodeToString(ct)
		}
		if diff := cmp.Diff(v.SealAEAD.Ciphertext, hex.EncodeToString(ct)); diff != "" {
			t.Errorf("sealed mismatch (-want +got):\n%s", diff)
		}
		pt, err := a.Open(nil, nonce, mustHex(t, v.SealAEAD.Ciphertext), ad)
		if err != nil {
			t.Fatalf("Open(recorded): %v", err)
		}
		if diff := cmp.Diff(v.SealAEAD.Plaintext, hex.EncodeToString(pt)); diff != "" {
			t.Errorf("opened mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("wallet record", func(t *testing.T) {
		w := &v.WalletRecord
		key := store.Key{ID: w.KeyID, Secret: mustHex(t, w.Secret), Suite: smsuite.Suite{}}
		if w.Sealed != "" {
			inner := wallet.NewMemoryStore()
			if _, err := inner.Save(t.Context(), wallet.StoredWallet{Holder: w.Holder, Data: []byte(w.Sealed)}); err != nil {
				t.Fatal(err)
			}
			s, err := wallet.NewSealedStore(inner, key)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.Load(t.Context(), w.Holder)
			if err != nil {
				t.Fatalf("Load(recorded record): %v", err)
			}
			if diff := cmp.Diff(w.Data, string(got.Data)); diff != "" {
				t.Errorf("opened record mismatch (-want +got):\n%s", diff)
			}
		}
		inner := wallet.NewMemoryStore()
		s, err := wallet.NewSealedStore(inner, key)
		if err != nil {
			t.Fatal(err)
		}
		cryptotest.SetGlobalRandom(t, w.Seed)
		if _, err := s.Save(t.Context(), wallet.StoredWallet{Holder: w.Holder, Data: []byte(w.Data)}); err != nil {
			t.Fatal(err)
		}
		rec, err := inner.Load(t.Context(), w.Holder)
		if err != nil {
			t.Fatal(err)
		}
		if *update {
			w.Sealed = string(rec.Data)
		}
		if diff := cmp.Diff(w.Sealed, string(rec.Data)); diff != "" {
			t.Errorf("re-sealed record mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("group envelope", func(t *testing.T) {
		ev := &v.Envelope
		g := sm2Key(t, ev.GroupKey)
		info, aad := mustHex(t, ev.Info), mustHex(t, ev.AAD)
		if ev.Enc != "" {
			pt, err := smsuite.Suite{}.GroupDecrypt(g, mustHex(t, ev.Enc), info, aad, mustHex(t, ev.Ciphertext))
			if err != nil {
				t.Fatalf("GroupDecrypt(recorded): %v", err)
			}
			if diff := cmp.Diff(ev.Plaintext, hex.EncodeToString(pt)); diff != "" {
				t.Errorf("opened mismatch (-want +got):\n%s", diff)
			}
		}
		cryptotest.SetGlobalRandom(t, ev.Seed)
		enc, seal, err := smsuite.Suite{}.GroupEncrypt(&g.PublicKey, info)
		if err != nil {
			t.Fatal(err)
		}
		ct, err := seal(aad, mustHex(t, ev.Plaintext))
		if err != nil {
			t.Fatal(err)
		}
		if *update {
			ev.Enc, ev.Ciphertext = hex.EncodeToString(enc), hex.EncodeToString(ct)
		}
		if diff := cmp.Diff(ev.Enc+" "+ev.Ciphertext, hex.EncodeToString(enc)+" "+hex.EncodeToString(ct)); diff != "" {
			t.Errorf("re-sealed envelope mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("signature", func(t *testing.T) {
		sv := &v.Signature
		k := sm2Key(t, sv.SigningKey)
		msg := mustHex(t, sv.Message)
		if sv.Signature != "" && !(smsuite.Suite{}).Verify(&k.PublicKey, msg, mustHex(t, sv.Signature)) {
			t.Fatal("Verify refused the recorded signature")
		}
		cryptotest.SetGlobalRandom(t, sv.Seed)
		sig, err := smsuite.Suite{}.Sign(k, msg)
		if err != nil {
			t.Fatal(err)
		}
		if *update {
			sv.Signature = hex.EncodeToString(sig)
		}
		if diff := cmp.Diff(sv.Signature, hex.EncodeToString(sig)); diff != "" {
			t.Errorf("re-signed mismatch (-want +got):\n%s", diff)
		}
	})
	if *update {
		out, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("testdata/vectors.json", append(out, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
