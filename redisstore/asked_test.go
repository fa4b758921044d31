package redisstore

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/quiz"
	"github.com/trustid/trustid/quiz/quiztest"
	"github.com/trustid/trustid/store"
)

// TestAskedConformance runs package quiz's conformance suite for quiz.AskedStore, the one
// a host would run against its own adapter, on a fresh prefix per subtest.
func TestAskedConformance(t *testing.T) {
	redisAddr(t)
	quiztest.AskedStore(t, func(t *testing.T) quiz.AskedStore {
		s, _ := newTestStore(t)
		return s.AskedStore()
	})
}

// TestAskedMatchesMemory runs quiztest's differential suite against quiz.MemoryAskedStore.
func TestAskedMatchesMemory(t *testing.T) {
	s, _ := newTestStore(t)
	quiztest.AskedStoreDifferential(t, s.AskedStore())
}

// TestAskedStorage checks what reaches Redis: one hash per caller key, named by an HMAC
// (the caller key does not appear), holding the IDs with their expiry; expired IDs are
// dropped by the next Claim; the hash lives as long as its last ID.
func TestAskedStorage(t *testing.T) {
	s, c := newTestStore(t)
	a := s.AskedStore()
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	const subject = "subject/11010519491231002X"
	if ok, err := a.Claim(ctx, subject, []string{"old"}, now, now.Add(time.Hour)); err != nil || !ok {
		t.Fatalf("Claim = %v, %v", ok, err)
	}
	later := now.Add(2 * time.Hour)
	if ok, err := a.Claim(ctx, subject, []string{"x", "y"}, later, later.Add(24*time.Hour)); err != nil || !ok {
		t.Fatalf("Claim = %v, %v", ok, err)
	}
	prefix := s.asked[:strings.IndexByte(s.asked, ':')]
	keys, err := c.Keys(ctx, prefix+":*").Result()
	if err != nil {
		t.Fatal(err)
	}
	shape := regexp.MustCompile(`^trustidtest-[0-9a-f]{16}:asked:[A-Za-z0-9_-]{43}$`)
	if len(keys) != 1 || !shape.MatchString(keys[0]) {
		t.Fatalf("keys %q, want one <prefix>:asked:<base64url HMAC>", keys)
	}
	if strings.Contains(keys[0], "11010519491231002X") || strings.Contains(keys[0], "subject") {
		t.Errorf("key %q holds the caller key", keys[0])
	}
	exp := later.Add(24 * time.Hour)
	want := map[string]string{"x": fmt.Sprint(exp.Unix(), " ", exp.Nanosecond()), "y": fmt.Sprint(exp.Unix(), " ", exp.Nanosecond())}
	if diff := cmp.Diff(want, c.HGetAll(ctx, keys[0]).Val()); diff != "" {
		t.Errorf("hash mismatch (-want +got); the expired ID must be gone:\n%s", diff)
	}
	if ttl := c.PTTL(ctx, keys[0]).Val(); ttl <= 23*time.Hour || ttl > 24*time.Hour {
		t.Errorf("time to live %v, want about 24h", ttl)
	}
	// A shorter claim does not shorten the hash's life.
	if ok, err := a.Claim(ctx, subject, []string{"z"}, later, later.Add(time.Minute)); err != nil || !ok {
		t.Fatalf("Claim = %v, %v", ok, err)
	}
	if ttl := c.PTTL(ctx, keys[0]).Val(); ttl <= 23*time.Hour {
		t.Errorf("time to live %v after a shorter claim, want still about 24h", ttl)
	}
}

// TestAskedCorrupt: an entry this package did not write is ErrCorrupt, never a pass: a
// malformed expiry in the hash, or a value of another type under the key.
func TestAskedCorrupt(t *testing.T) {
	s, c := newTestStore(t)
	a := s.AskedStore()
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	c.HSet(ctx, s.redisKey(s.asked, "asked", "bad-field"), "id", "tomorrow")
	c.Set(ctx, s.redisKey(s.asked, "asked", "bad-type"), "x", 0)
	for _, key := range []string{"bad-field", "bad-type"} {
		if ids, err := a.Asked(ctx, key, now); !errors.Is(err, ErrCorrupt) || ids != nil {
			t.Errorf("Asked(%s) = %q, %v; want ErrCorrupt", key, ids, err)
		}
		// "other" overlaps nothing: the claim reads the whole entry to drop expired IDs.
		for _, ids := range [][]string{{"id"}, {"other"}} {
			if ok, err := a.Claim(ctx, key, ids, now, now.Add(time.Hour)); !errors.Is(err, ErrCorrupt) || ok {
				t.Errorf("Claim(%s, %q) = %v, %v; want false and ErrCorrupt", key, ids, ok, err)
			}
		}
	}
}

// TestAskedClaimBounded: a claim of more IDs than any quiz asks is refused before Redis is
// asked; the largest allowed one works.
func TestAskedClaimBounded(t *testing.T) {
	s, _ := newTestStore(t)
	a := s.AskedStore()
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	ids := make([]string, maxClaimIDs+1)
	for i := range ids {
		ids[i] = fmt.Sprint("id", i)
	}
	if ok, err := a.Claim(ctx, "k", ids, now, now.Add(time.Hour)); err == nil || ok {
		t.Errorf("Claim of %d IDs = %v, %v; want refused", len(ids), ok, err)
	}
	if ok, err := a.Claim(ctx, "k", ids[:maxClaimIDs], now, now.Add(time.Hour)); err != nil || !ok {
		t.Fatalf("Claim of %d IDs = %v, %v", maxClaimIDs, ok, err)
	}
	if got, err := a.Asked(ctx, "k", now); err != nil || len(got) != maxClaimIDs {
		t.Errorf("Asked = %d IDs, %v; want %d", len(got), err, maxClaimIDs)
	}
}

// TestQuizFleetSharesAskedFacts is the reason for the adapter: two servers of one
// deployment, each with its own examiner and Redis connection, share what a subject was
// asked and shown, so a retry on the other server shows none of the first quiz's values
// (with per-process memory stores it could show them again, handing out the answers by
// elimination). The lock-out is shared too.
func TestQuizFleetSharesAskedFacts(t *testing.T) {
	stores := fleet(t, 2)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	facts := []quiz.Fact{
		{Category: quiz.CategoryVehiclePlate, Value: "京A12345"}, {Category: quiz.CategoryVehiclePlate, Value: "京B67890"},
		{Category: quiz.CategoryPhoneCarrier, Value: "中国移动"}, {Category: quiz.CategoryPhoneCarrier, Value: "中国联通"},
		{Category: quiz.CategoryBank, Value: "中国工商银行"}, {Category: quiz.CategoryBank, Value: "中国农业银行"},
		{Category: quiz.CategoryEmployer, Value: "北京星辰科技有限公司"}, {Category: quiz.CategoryEmployer, Value: "北京云海网络有限公司"},
		// A third value per category, so that the third Begin finds facts not yet asked
		// and reaches the attempt count.
		{Category: quiz.CategoryVehiclePlate, Value: "京Z99999"}, {Category: quiz.CategoryPhoneCarrier, Value: "中国广电"},
		{Category: quiz.CategoryBank, Value: "中国交通银行"}, {Category: quiz.CategoryEmployer, Value: "北京远方科技有限公司"},
	}
	// Pools of 30 made-up values per category in the facts' shapes: enough for three
	// quizzes that may not show a value twice.
	pools := map[quiz.Category][]string{}
	for i := range 30 {
		a, b := i/5, i%5
		pools[quiz.CategoryVehiclePlate] = append(pools[quiz.CategoryVehiclePlate], fmt.Sprintf("京%c%05d", 'C'+i%20, 10000+i*997))
		pools[quiz.CategoryPhoneCarrier] = append(pools[quiz.CategoryPhoneCarrier],
			[]string{"东方", "南方", "西部", "北部", "中原", "华夏"}[a]+[]string{"移动", "通信", "电信", "互联", "网络"}[b])
		pools[quiz.CategoryBank] = append(pools[quiz.CategoryBank],
			[]string{"北京", "上海", "天津", "重庆", "广州", "深圳"}[a]+[]string{"农商银行", "商业银行", "发展银行", "合作银行", "储蓄银行"}[b])
		pools[quiz.CategoryEmployer] = append(pools[quiz.CategoryEmployer],
			[]string{"上海", "深圳", "杭州", "广州", "南京", "成都"}[a]+[]string{"明月", "青松", "远山", "白鹭", "长江"}[b]+"科技有限公司")
	}
	servers := make([]*quiz.Examiner, len(stores))
	for i, s := range stores {
		ex, err := quiz.New(quiz.Config{
			Keys:         []store.Key{{ID: 1, Secret: testSecret}},
			IndexKey:     []byte("quiz index key of the deployment"),
			Distractors:  quiz.NewMemoryDistractors(pools),
			ReplayGuard:  s,
			AttemptStore: s,
			Asked:        s.AskedStore(),
			Now:          clock,
			Policy: quiz.Policy{
				Attempts:   store.AttemptRule{Limit: 2, Window: time.Hour, Cooloff: time.Hour},
				Categories: map[quiz.Category]quiz.CategoryPolicy{quiz.CategoryVehiclePlate: {Prompt: "?"}, quiz.CategoryPhoneCarrier: {Prompt: "?"}, quiz.CategoryBank: {Prompt: "?"}, quiz.CategoryEmployer: {Prompt: "?"}},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		servers[i] = ex
	}
	shown := map[string]int{}
	for i, ex := range servers {
		ch, err := ex.Begin(ctx, quiz.BeginRequest{Subject: "subject-hmac", Facts: facts})
		if err != nil {
			t.Fatalf("Begin on server %d: %v", i, err)
		}
		for _, q := range ch.Questions {
			for _, o := range q.Options {
				if o.NoneOfTheAbove {
					continue
				}
				if prev, ok := shown[quiz.Normalize(o.Text)]; ok {
					t.Errorf("server %d shows a value server %d showed to the same subject", i, prev)
				}
				shown[quiz.Normalize(o.Text)] = i
			}
		}
		// The applicant fails; the token is spent on the server that scores it.
		right := quiztest.CorrectAnswers(ch, facts)
		wrong := slices.Clone(right)
		for _, o := range ch.Questions[0].Options {
			if o.ID != right[0].OptionID {
				wrong[0].OptionID = o.ID
				break
			}
		}
		other := servers[(i+1)%len(servers)]
		if res, err := other.Finish(ctx, quiz.FinishRequest{Token: ch.Token, Answers: wrong}); err != nil || res.QuizPassed() {
			t.Fatalf("Finish(wrong) on the other server = %v, %v", res, err)
		}
		if _, err := ex.Finish(ctx, quiz.FinishRequest{Token: ch.Token, Answers: right}); !errors.Is(err, store.ErrReplayed) {
			t.Errorf("Finish of the same token on the first server = %v, want replayed", err)
		}
	}
	if _, err := servers[0].Begin(ctx, quiz.BeginRequest{Subject: "subject-hmac", Facts: facts}); !errors.Is(err, store.ErrLockedOut) {
		t.Errorf("third Begin across the fleet = %v, want locked out", err)
	}
}

// BenchmarkAskedClaim claims the 20 IDs of a default quiz (4 questions, 4 shown values and
// the answer) for a new subject per iteration, as Begin does; then reads them back.
func BenchmarkAskedClaim(b *testing.B) {
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	ids := make([]string, 20)
	for i := range ids {
		ids[i] = fmt.Sprintf("%022d", i) // the length of quiz's base64url IDs
	}
	for _, name := range []string{"memory", "redis"} {
		b.Run(name, func(b *testing.B) {
			var a quiz.AskedStore = quiz.NewMemoryAskedStore()
			if name == "redis" {
				s, _ := newTestStore(b)
				a = s.AskedStore()
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				key := fmt.Sprint("bench/", i)
				if ok, err := a.Claim(ctx, key, ids, now, now.Add(7*24*time.Hour)); err != nil || !ok {
					b.Fatal(ok, err)
				}
				if got, err := a.Asked(ctx, key, now); err != nil || len(got) != len(ids) {
					b.Fatal(len(got), err)
				}
				i++
			}
		})
	}
}
