package wallet_test

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/idcard"
	"github.com/trustid/trustid/wallet"
)

// The whole journey: a passing decision links the person's credentials from the
// registries into a sealed wallet; the ID card is shown as a QR identity code; the
// reader opens it and checks online; the card is reported lost and can no longer be
// shown. 11010519491231002X is the example number of GB 11643-1999.
func Example() {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC) }
	const idNumber = "11010519491231002X"
	holder := wallet.Holder{Name: "张三", Address: "北京市朝阳区建国路88号", Gender: idcard.Female}

	registry := wallet.NewMemorySource()
	registry.Set(idNumber,
		wallet.Credential{Kind: verify.KindIDCard, Number: idNumber, Holder: holder, Authority: "北京市公安局朝阳分局",
			ValidFrom: verify.Date{Year: 2016, Month: 5, Day: 1}, LongTerm: true, Status: wallet.StatusActive},
		wallet.Credential{Kind: verify.KindPassport, Number: "E12345678", Holder: holder,
			ValidFrom:  verify.Date{Year: 2019, Month: 1, Day: 10},
			ValidUntil: verify.Date{Year: 2029, Month: 1, Day: 9}, Status: wallet.StatusActive},
	)
	store, _ := wallet.NewSealedStore(wallet.NewMemoryStore(), store.Key{ID: 1, Secret: bytes.Repeat([]byte{1}, 32)})
	qrKey := qrtoken.SecretKey{ID: 1, Secret: bytes.Repeat([]byte{2}, 32)}
	issuer, _ := qrtoken.NewIssuer(qrtoken.IssuerConfig{Key: &qrKey, Now: now})
	w, err := wallet.New(wallet.Config{
		Source: registry, Store: store, Issuer: issuer, Now: now,
		IndexKey: bytes.Repeat([]byte{3}, 32), RequiredLevel: verify.LevelRealPerson,
	})
	if err != nil {
		panic(err)
	}

	// The decision comes from verify.Policy.Decide after the face check.
	decision := verify.Decision{Outcome: verify.OutcomePass, Level: verify.LevelRealPerson,
		Subject: "subject-of-the-document-check", DecidedAt: now()}
	me := wallet.HolderRef{IDNumber: idNumber, Subject: "subject-of-the-document-check"}

	// A decision below the required level is refused before the registry is asked.
	low := decision
	low.Level = verify.LevelRealName
	_, err = w.Link(ctx, low, me)
	fmt.Println("real-name only:", err)

	res, err := w.Link(ctx, decision, me)
	if err != nil {
		panic(err)
	}
	fmt.Println("linked:", len(res.Changes))
	creds, _ := w.Credentials(ctx, me)
	for _, c := range creds {
		fmt.Println(c.Kind, c)
	}

	id := creds[0]
	p, err := w.Present(ctx, me, id.Handle, qrtoken.PurposeInternetCafe())
	if err != nil {
		panic(err)
	}
	reader, _ := qrtoken.NewReader(qrtoken.ReaderConfig{Purposes: []qrtoken.Purpose{qrtoken.PurposeInternetCafe()},
		Keys: []qrtoken.SecretKey{qrKey}, Now: now})
	opened, err := reader.Open(ctx, p.Code.Text())
	if err != nil {
		panic(err)
	}
	over18, _ := opened.Claims.IsOver(18)
	status, err := w.CheckPresented(ctx, p.Code.Text())
	fmt.Println("reader: over 18:", over18, "status:", status.Status, err)

	_ = w.SetStatus(ctx, id.Handle, wallet.StatusReportedLost, "holder-app")
	_, err = w.CheckPresented(ctx, p.Code.Text())
	fmt.Println("reader after loss:", err)
	_, err = w.Present(ctx, me, id.Handle, qrtoken.PurposeInternetCafe())
	fmt.Println("present again:", err)

	history, _ := w.History(ctx, me)
	for _, e := range history {
		fmt.Println(e.Type, e.Kind, e.Actor)
	}
	// Output:
	// real-name only: wallet: link: level_too_low
	// linked: 2
	// id-card {Kind:id-card Number:110105********002X Holder:{Name:张* Address:[12 chars]} Status:active Level:real-person Valid:2016-05-01..long-term Handle:f7Pzo2fvFV…}
	// passport {Kind:passport Number:E1*****78 Holder:{Name:张* Address:[12 chars]} Status:active Level:real-person Valid:2019-01-10..2029-01-09 Handle:nOVxk683TC…}
	// reader: over 18: true status: active <nil>
	// reader after loss: wallet: check-presented: reported_lost (id-card)
	// present again: wallet: present: reported_lost (id-card)
	// linked id-card holder
	// linked passport holder
	// presented id-card holder
	// reported-lost id-card holder-app
}
