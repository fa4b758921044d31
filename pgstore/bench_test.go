package pgstore

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/docnum"
	"github.com/trustid/trustid/verify/idcard"
	"github.com/trustid/trustid/verify/review"
	"github.com/trustid/trustid/wallet"
)

// BenchmarkReviewAssign measures Desk.Apply of a new applicant that goes to a reviewer
// (least loaded of two) on PostgreSQL already holding 1,000 or 100,000 closed cases:
// the admission query by applicant, the reviewers' load counts and PutAssigned's
// transaction each use an index, so the cost should not grow with the stored cases.
// Filling the table (one INSERT ... SELECT of copies of a sealed case) is not timed.
func BenchmarkReviewAssign(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run("cases="+strconv.Itoa(n), func(b *testing.B) {
			s, pool := newStore(b)
			ctx := context.Background()
			rs, err := s.ReviewStore()
			if err != nil {
				b.Fatal(err)
			}
			mib := fillClosedCases(b, rs, pool, n)
			now := func() time.Time { return journeyNow }
			desk := newDesk(b, rs, now, review.NewMemoryNotifier(),
				review.Reviewer{ID: "r1", Capacity: 1 << 30}, review.Reviewer{ID: "r2", Capacity: 1 << 30})
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				i++
				c, err := desk.Apply(ctx, reviewApplication("app-"+strconv.Itoa(i)))
				if err != nil || c.Reviewer == "" {
					b.Fatalf("Apply = %v, %v; want an assigned case", c, err)
				}
			}
			b.ReportMetric(mib, "table-MiB")
		})
	}
}

// fillClosedCases stores one approved case through rs, then copies its row n-1 times
// under other IDs, applicants and reviewers r1/r2 (the copies never open: the seal binds
// the ID; the benchmark only needs them in the indexes), analyzes the table and returns
// its size.
func fillClosedCases(b *testing.B, rs *ReviewStore, pool *pgxpool.Pool, n int) (mib float64) {
	b.Helper()
	ctx := context.Background()
	c := &review.Case{ID: "rv-old-0", Application: reviewApplication("old-0"), State: review.StateApproved, Attempt: 1,
		Reviewer: "r1", Created: journeyNow, Updated: journeyNow}
	if _, err := rs.Put(ctx, c); err != nil {
		b.Fatal(err)
	}
	r1, r2 := rs.s.index("reviewer", "r1"), rs.s.index("reviewer", "r2")
	if _, err := pool.Exec(ctx, `INSERT INTO trustid_review_cases (id, version, applicant, reviewer, state, wake_at, sealed)
SELECT 'rv-old-' || g, 1, sha256(('old-' || g)::bytea), CASE WHEN g % 2 = 0 THEN $2::bytea ELSE $3::bytea END, state, NULL, sealed
FROM trustid_review_cases, generate_series(1, $1 - 1) AS g WHERE id = 'rv-old-0'`, n, r1, r2); err != nil {
		b.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `ANALYZE trustid_review_cases`); err != nil {
		b.Fatal(err)
	}
	var stored, size int64
	if err := pool.QueryRow(ctx, `SELECT count(*), pg_total_relation_size('trustid_review_cases') FROM trustid_review_cases`).Scan(&stored, &size); err != nil || stored != int64(n) {
		b.Fatalf("%d cases stored, %v; want %d", stored, err, n)
	}
	return float64(size) / (1 << 20)
}

// Eight credentials, one of each kind, for the Link and Present benchmarks. The numbers
// are synthetic (check characters computed by idcard.CheckChar and
// docnum.VINCheckDigit); they name nobody.
func eightCredentials(b *testing.B) (string, []wallet.Credential) {
	b.Helper()
	cc, err := idcard.CheckChar("11010519900307995")
	if err != nil {
		b.Fatal(err)
	}
	id := "11010519900307995" + string(cc)
	vin := "LSVAU2180N2183456"
	vc, err := docnum.VINCheckDigit(vin)
	if err != nil {
		b.Fatal(err)
	}
	vin = vin[:8] + string(vc) + vin[9:]
	h := wallet.Holder{Name: personName, LatinName: personLatin, Gender: idcard.Male, BirthDate: date(1990, 3, 7),
		Nationality: "CHN", Ethnicity: "汉", Address: personAddress}
	return id, []wallet.Credential{
		{Kind: verify.KindIDCard, Number: id, Holder: h, Authority: personAuthor,
			ValidFrom: date(2015, 6, 1), ValidUntil: date(2035, 6, 1), Status: wallet.StatusActive, Source: "mps-population"},
		{Kind: verify.KindPassport, Number: "E12345678", Holder: h, Authority: "国家移民管理局",
			ValidFrom: date(2019, 1, 10), ValidUntil: date(2029, 1, 9), Status: wallet.StatusActive, Source: "nia-exit-entry"},
		{Kind: verify.KindHKMacaoPermit, Number: "C87654321", Holder: h, Authority: "国家移民管理局",
			ValidFrom: date(2018, 4, 1), ValidUntil: date(2028, 3, 31), Status: wallet.StatusActive, Source: "nia-exit-entry"},
		{Kind: verify.KindTaiwanPermit, Number: "L11223344", Holder: h, Authority: "国家移民管理局",
			ValidFrom: date(2020, 8, 1), ValidUntil: date(2030, 7, 31), Status: wallet.StatusActive, Source: "nia-exit-entry"},
		{Kind: verify.KindHouseholdRegister, Number: id, Holder: h, Authority: personAuthor,
			ValidFrom: date(2010, 1, 5), Status: wallet.StatusActive, Source: "mps-population",
			Household: &wallet.Household{Number: "110105321", Relation: "户主"}},
		{Kind: verify.KindResidencePermit, Number: id, Holder: h, Authority: "上海市公安局徐汇分局",
			ValidFrom: date(2024, 1, 1), ValidUntil: date(2029, 1, 1), Status: wallet.StatusActive, Source: "mps-population"},
		{Kind: verify.KindDriverLicence, Number: id, Holder: h, Authority: "北京市公安局公安交通管理局",
			ValidFrom: date(2020, 5, 1), ValidUntil: date(2030, 5, 1), Status: wallet.StatusActive, Source: "mps-traffic",
			Driver: &wallet.DriverLicence{Class: "C1", ArchiveNumber: "110012345678"}},
		{Kind: verify.KindVehicleLicence, Number: "京A9K8Z7", Holder: h, Authority: "北京市公安局公安交通管理局",
			ValidFrom: date(2022, 9, 15), LongTerm: true, Status: wallet.StatusActive, Source: "mps-traffic",
			Vehicle: &wallet.VehicleLicence{VIN: vin, Type: "小型轿车"}},
	}
}

// benchWallet is a wallet over a sealed PostgreSQL store with eight credentials in its
// source, on a settable clock.
type benchWallet struct {
	w       *wallet.Wallet
	checker *verify.Checker
	id      string
	clock   *atomic.Int64
	pool    *pgxpool.Pool
}

func newBenchWallet(b *testing.B) *benchWallet {
	b.Helper()
	s, pool := newStore(b)
	id, creds := eightCredentials(b)
	clock := new(atomic.Int64)
	clock.Store(time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC).UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	src := wallet.NewMemorySource()
	src.Set(id, creds...)
	sealed, err := wallet.NewSealedStore(s.WalletStore(), store.Key{ID: 1, Secret: bytes.Repeat([]byte{1}, 32)})
	if err != nil {
		b.Fatal(err)
	}
	qrKey := qrtoken.SecretKey{ID: 1, Secret: bytes.Repeat([]byte{2}, 32)}
	issuer, err := qrtoken.NewIssuer(qrtoken.IssuerConfig{Key: &qrKey, Now: now})
	if err != nil {
		b.Fatal(err)
	}
	people, err := verify.NewMemoryRegistry(verify.Record{Kind: verify.KindIDCard, Number: id, Name: personName,
		Status: verify.StatusValid, ValidFrom: date(2015, 6, 1), LongTerm: true})
	if err != nil {
		b.Fatal(err)
	}
	checker, err := verify.New(verify.Config{Registry: people, Now: now, SubjectKey: bytes.Repeat([]byte{4}, 32),
		Keys: []store.Key{{ID: 1, Secret: bytes.Repeat([]byte{5}, 32)}}, Policy: verify.Policy{Required: verify.LevelRealName}})
	if err != nil {
		b.Fatal(err)
	}
	w, err := wallet.New(wallet.Config{Source: src, Store: sealed, Issuer: issuer, Now: now, Decisions: checker.Decisions(),
		IndexKey: bytes.Repeat([]byte{3}, 32), RequiredLevel: verify.LevelRealName})
	if err != nil {
		b.Fatal(err)
	}
	return &benchWallet{w: w, checker: checker, id: id, clock: clock, pool: pool}
}

func (e *benchWallet) decision(b *testing.B) string {
	b.Helper()
	doc, err := e.checker.CheckDocument(context.Background(), verify.Claim{Kind: verify.KindIDCard, Number: e.id, Name: personName})
	if err != nil {
		b.Fatal(err)
	}
	return e.checker.Decide(doc, nil, nil).Token
}

// BenchmarkWalletLink measures Link of the eight-credential source into a linked wallet
// on PostgreSQL (load, open, decode, compare, seal, one save statement), and
// raw-pgx, the same rows read and written with plain pgx statements in a transaction
// (select the record; update it; delete and upsert its index keys) and nothing else.
// Making each fresh decision is not timed.
func BenchmarkWalletLink(b *testing.B) {
	ctx := context.Background()
	e := newBenchWallet(b)
	me := wallet.HolderRef{IDNumber: e.id}
	if _, err := e.w.Link(ctx, wallet.LinkRequest{Decision: e.decision(b), Holder: me}); err != nil {
		b.Fatal(err)
	}
	b.Run("pgstore", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			e.clock.Add(int64(11 * time.Minute)) // the last decision expires and is dropped
			d := e.decision(b)
			b.StartTimer()
			if _, err := e.w.Link(ctx, wallet.LinkRequest{Decision: d, Holder: me}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw-pgx", func(b *testing.B) { rawReadWrite(b, e.pool) })
}

// BenchmarkWalletPresent measures Present of the ID card (load, open, issue a QR code,
// seal, one save statement) on PostgreSQL, and raw-pgx as in BenchmarkWalletLink. The
// clock moves on an hour between presentations (not timed), so that earlier ones have
// expired and the record keeps its size.
func BenchmarkWalletPresent(b *testing.B) {
	ctx := context.Background()
	e := newBenchWallet(b)
	me := wallet.HolderRef{IDNumber: e.id}
	if _, err := e.w.Link(ctx, wallet.LinkRequest{Decision: e.decision(b), Holder: me}); err != nil {
		b.Fatal(err)
	}
	creds, err := e.w.Credentials(ctx, me)
	if err != nil {
		b.Fatal(err)
	}
	i := slices.IndexFunc(creds, func(c wallet.Credential) bool { return c.Kind == verify.KindIDCard })
	req := wallet.PresentRequest{Holder: me, Handle: creds[i].Handle, Purpose: qrtoken.PurposeInternetCafe()}
	b.Run("pgstore", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			e.clock.Add(int64(time.Hour))
			b.StartTimer()
			if _, err := e.w.Present(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw-pgx", func(b *testing.B) { rawReadWrite(b, e.pool) })
}

// rawReadWrite reads the one stored wallet row and writes it back with its index, as
// plain pgx statements in one transaction: the database work of a Link or Present
// without the library.
func rawReadWrite(b *testing.B, pool *pgxpool.Pool) {
	ctx := context.Background()
	var holder string
	if err := pool.QueryRow(ctx, `SELECT holder FROM trustid_wallets`).Scan(&holder); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			var version int64
			var index []string
			var data []byte
			if err := tx.QueryRow(ctx, `SELECT version, index, data FROM trustid_wallets WHERE holder = $1`, holder).Scan(&version, &index, &data); err != nil {
				return err
			}
			data = append(data[:len(data)-1], data[len(data)-1]) // the same bytes, written back
			if _, err := tx.Exec(ctx, `UPDATE trustid_wallets SET version = version + 1, index = $2, data = $3 WHERE holder = $1 AND version = $4`,
				holder, index, data, version); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DELETE FROM trustid_wallet_index WHERE holder = $1 AND key <> ALL ($2::text[])`, holder, index); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO trustid_wallet_index (key, holder) SELECT k, $1 FROM unnest($2::text[]) AS k
ON CONFLICT (key) DO UPDATE SET holder = excluded.holder`, holder, index)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGuardLoad and BenchmarkLimiterLoad are short load tests on loopback: 16
// concurrent callers claim fresh codes (take attempts on 1,000 keys); each reports
// ops/s and the 99th percentile latency. Run them with -benchtime=2s or so.
func BenchmarkGuardLoad(b *testing.B) {
	s, _ := newStore(b)
	now := time.Now()
	var n atomic.Int64
	loadTest(b, func(ctx context.Context) error {
		_, err := s.Claim(ctx, "code-"+strconv.FormatInt(n.Add(1), 10), now, now.Add(time.Minute))
		return err
	})
}

func BenchmarkLimiterLoad(b *testing.B) {
	s, _ := newStore(b)
	now := time.Now()
	rule := store.AttemptRule{Limit: 1 << 30, Window: time.Hour}
	var n atomic.Int64
	loadTest(b, func(ctx context.Context) error {
		_, err := s.Take(ctx, "subject-"+strconv.FormatInt(n.Add(1)%1000, 10), now, rule)
		return err
	})
}

// loadTest runs op b.N times from 16 goroutines and reports ops/s and p99 latency.
func loadTest(b *testing.B, op func(context.Context) error) {
	b.Helper()
	const workers = 16
	ctx := context.Background()
	var mu sync.Mutex
	var lat []time.Duration
	var next atomic.Int64
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var mine []time.Duration
			for next.Add(1) <= int64(b.N) {
				t := time.Now()
				if err := op(ctx); err != nil {
					b.Error(err)
					return
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "ops/s")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	}
}
