package pgstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/trustid/trustid/liveness"
	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/relyingparty"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/idcard"
	"github.com/trustid/trustid/verify/review"
	"github.com/trustid/trustid/wallet"
)

// The test person. The ID number is GB 11643-1999's example number; the other values
// are made up and name nobody.
const (
	personID       = "11010519491231002X"
	personName     = "张三丰"
	personLatin    = "ZHANG SANFENG"
	personAddress  = "北京市朝阳区建国路88号院3号楼"
	personPassport = "E98765432"
	personAuthor   = "北京市公安局朝阳分局"
)

var journeyNow = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)

func date(y int, m time.Month, d int) verify.Date { return verify.Date{Year: y, Month: m, Day: d} }

// walletEnv is a wallet on s's WalletStore wrapped in wallet.NewSealedStore, with the
// test person's two credentials in its source, and a checker whose decisions it opens.
type walletEnv struct {
	w       *wallet.Wallet
	checker *verify.Checker
	me      wallet.HolderRef
}

func newWalletEnv(t testing.TB, s *Store, now func() time.Time) *walletEnv {
	t.Helper()
	holder := wallet.Holder{Name: personName, LatinName: personLatin, Address: personAddress, Gender: idcard.Female,
		BirthDate: date(1949, 12, 31), Nationality: "CHN"}
	src := wallet.NewMemorySource()
	src.Set(personID,
		wallet.Credential{Kind: verify.KindIDCard, Number: personID, Holder: holder, Authority: personAuthor,
			ValidFrom: date(2016, 5, 1), LongTerm: true, Status: wallet.StatusActive},
		wallet.Credential{Kind: verify.KindPassport, Number: personPassport, Holder: holder,
			ValidFrom: date(2019, 1, 10), ValidUntil: date(2029, 1, 9), Status: wallet.StatusActive})
	sealed, err := wallet.NewSealedStore(s.WalletStore(), store.Key{ID: 1, Secret: bytes.Repeat([]byte{1}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	qrKey := qrtoken.SecretKey{ID: 1, Secret: bytes.Repeat([]byte{2}, 32)}
	issuer, err := qrtoken.NewIssuer(qrtoken.IssuerConfig{Key: &qrKey, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	people, err := verify.NewMemoryRegistry(verify.Record{Kind: verify.KindIDCard, Number: personID, Name: personName,
		Status: verify.StatusValid, ValidFrom: date(2016, 5, 1), LongTerm: true})
	if err != nil {
		t.Fatal(err)
	}
	checker, err := verify.New(verify.Config{Registry: people, Now: now, SubjectKey: bytes.Repeat([]byte{4}, 32),
		Keys: []store.Key{{ID: 1, Secret: bytes.Repeat([]byte{5}, 32)}}, Policy: verify.Policy{Required: verify.LevelRealName}})
	if err != nil {
		t.Fatal(err)
	}
	w, err := wallet.New(wallet.Config{Source: src, Store: sealed, Issuer: issuer, Now: now, Decisions: checker.Decisions(),
		IndexKey: bytes.Repeat([]byte{3}, 32), RequiredLevel: verify.LevelRealName})
	if err != nil {
		t.Fatal(err)
	}
	return &walletEnv{w: w, checker: checker, me: wallet.HolderRef{IDNumber: personID}}
}

// decision returns the token of a fresh passing real-name decision about the person.
func (e *walletEnv) decision(t testing.TB) string {
	t.Helper()
	doc, err := e.checker.CheckDocument(context.Background(), verify.Claim{Kind: verify.KindIDCard, Number: personID, Name: personName})
	if err != nil {
		t.Fatal(err)
	}
	d := e.checker.Decide(doc, nil, nil)
	if d.Token == "" {
		t.Fatalf("no decision token: %v", d.Reasons)
	}
	return d.Token
}

func reviewApplication(applicant string) review.Application {
	return review.Application{
		Applicant: applicant,
		Type:      review.CertPersonal,
		Claimed:   review.Identity{Name: personName, Number: personID},
		Materials: []review.Material{{Kind: "id-card-front", Ref: "bucket/front", Digest: sha256.Sum256([]byte("front"))}},
	}
}

func newDesk(t testing.TB, rs review.Store, now func() time.Time, notifier review.Notifier, reviewers ...review.Reviewer) *review.Desk {
	t.Helper()
	if len(reviewers) == 0 {
		reviewers = []review.Reviewer{{ID: "r1", Capacity: 5}, {ID: "r2", Capacity: 5}}
	}
	d, err := review.New(review.Config{Store: rs, Now: now, Notifier: notifier, Reviewers: reviewers,
		AttemptStore: store.NewMemoryAttemptStore()})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestNoPersonalDataInTables links a wallet, presents a credential, takes a review case
// through to approval, records and withdraws a biometric consent, records a relying-party
// consent and leaves a QR sign-in hand-off, all on PostgreSQL, then reads every row of
// every pgstore table and finds none of the person's values: not the name (either
// script), the ID or passport number, the address or the issuing authority.
func TestNoPersonalDataInTables(t *testing.T) {
	s, pool := newStore(t)
	ctx := context.Background()
	now := func() time.Time { return journeyNow }

	e := newWalletEnv(t, s, now)
	if _, err := e.w.Link(ctx, wallet.LinkRequest{Decision: e.decision(t), Holder: e.me}); err != nil {
		t.Fatalf("Link: %v", err)
	}
	creds, err := e.w.Credentials(ctx, e.me)
	if err != nil || len(creds) != 2 {
		t.Fatalf("Credentials = %d, %v; want 2", len(creds), err)
	}
	if _, err := e.w.Present(ctx, wallet.PresentRequest{Holder: e.me, Handle: creds[0].Handle, Purpose: qrtoken.PurposeInternetCafe()}); err != nil {
		t.Fatalf("Present: %v", err)
	}

	rs, err := s.ReviewStore()
	if err != nil {
		t.Fatal(err)
	}
	desk := newDesk(t, rs, now, review.NewMemoryNotifier())
	c, err := desk.Apply(ctx, reviewApplication("acct-42"))
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if c.Reviewer == "" {
		t.Fatalf("case not assigned: state %v", c.State)
	}
	if _, err := desk.Approve(ctx, c.Reviewer, c.ID, []verify.Reason{verify.ReasonRealNameVerified}); err != nil {
		t.Fatalf("Approve: %v", err)
	}

	// Consent records and a QR sign-in hand-off, with the person's values wherever a host
	// could put them: the ID number as the subject and the hand-off key, the names in the
	// purpose and the redirect.
	lc, err := s.LivenessConsentStore()
	if err != nil {
		t.Fatal(err)
	}
	cid, err := lc.Record(ctx, liveness.Consent{Subject: personID, Purpose: liveness.PurposeBiometric, TextVersion: "face-2026-11", GivenAt: journeyNow})
	if err != nil {
		t.Fatalf("liveness consent Record: %v", err)
	}
	if err := lc.Withdraw(ctx, cid, journeyNow.Add(time.Hour)); err != nil {
		t.Fatalf("liveness consent Withdraw: %v", err)
	}
	rc, err := s.RelyingPartyConsentStore()
	if err != nil {
		t.Fatal(err)
	}
	rec := relyingparty.ConsentRecord{ID: "rp-consent-1", Subject: personID, ClientID: "bank", Purpose: "account opening for " + personLatin,
		Claims: []relyingparty.Claim{relyingparty.ClaimName, relyingparty.ClaimIDNumber}, Notice: personName + " v1", GivenAt: journeyNow}
	if _, err := rc.Put(ctx, rec); err != nil {
		t.Fatalf("relying-party consent Put: %v", err)
	}
	hs, err := s.HandoffStore()
	if err != nil {
		t.Fatal(err)
	}
	if err := hs.Put(ctx, personID, "https://rp.example/cb?code=c0de&hint="+personName+personAddress, journeyNow, journeyNow.Add(time.Minute)); err != nil {
		t.Fatalf("hand-off Put: %v", err)
	}

	// The journey did store something in each of the tables it uses.
	secrets := []string{personName, personLatin, personID, personPassport, personAddress, personAuthor,
		strings.ToLower(personID), "ZHANG", "建国路"}
	rows := dumpTables(t, pool)
	for _, table := range []string{"trustid_wallets", "trustid_wallet_index", "trustid_review_cases", "trustid_review_reviewers",
		"trustid_liveness_consents", "trustid_relyingparty_consents", "trustid_relyingparty_handoffs"} {
		if len(rows[table]) == 0 {
			t.Errorf("table %s is empty after the journey: the scan would prove nothing", table)
		}
	}
	for table, rs := range rows {
		for _, r := range rs {
			for _, v := range secrets {
				if bytes.Contains(r, []byte(v)) {
					t.Errorf("table %s holds a value of the test person in clear", table)
				}
			}
		}
	}
}

// dumpTables returns every row of every trustid_ table in pool's schema, each as the
// concatenation of its columns' raw bytes and text forms.
func dumpTables(t testing.TB, pool *pgxpool.Pool) map[string][][]byte {
	t.Helper()
	ctx := context.Background()
	tr, err := pool.Query(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'trustid\_%'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for tr.Next() {
		var n string
		if err := tr.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	if len(tables) < 11 {
		t.Fatalf("found %d pgstore tables, want at least 11", len(tables))
	}
	out := make(map[string][][]byte)
	for _, table := range tables {
		rows, err := pool.Query(ctx, "SELECT * FROM "+table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			vals, err := rows.Values()
			if err != nil {
				t.Fatal(err)
			}
			var b []byte
			for _, v := range vals {
				switch v := v.(type) {
				case []byte:
					b = append(b, v...)
				case string:
					b = append(b, v...)
				default:
					b = fmt.Appendf(b, "%v", v)
				}
				b = append(b, 0)
			}
			out[table] = append(out[table], b)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}
