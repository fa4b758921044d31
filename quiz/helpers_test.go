package quiz_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trustid/trustid/quiz"
	"github.com/trustid/trustid/store"
)

// t0 is the fixed start of every test clock.
var t0 = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)

// clock is a settable test clock, safe for concurrent use.
type clock struct{ ns atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.ns.Store(t0.UnixNano())
	return c
}
func (c *clock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

func testKey(id uint32, b byte) store.Key {
	s := make([]byte, 32)
	for i := range s {
		s[i] = b + byte(i)
	}
	return store.Key{ID: id, Secret: s}
}

// testIndexKey is the fixed index key of the test harness (a host-supplied attempt store
// requires one).
var testIndexKey = []byte("quiz test index key, 32+ bytes..")

// Made-up facts and distractor pools, written by hand for these tests: the values have the
// formats of real Chinese addresses, plates, offices, carriers, employers and banks, but
// describe no one. Every category of personFacts has several true values, so that a few
// quizzes can run without repeating a fact.
func personFacts() []quiz.Fact {
	since := t0.AddDate(-3, 0, 0)
	f := func(c quiz.Category, v string) quiz.Fact {
		return quiz.Fact{Category: c, Value: v, ValidFrom: since, Source: "test registry"}
	}
	return []quiz.Fact{
		f(quiz.CategoryPreviousAddress, "北京市朝阳区建国路88号"),
		f(quiz.CategoryPreviousAddress, "北京市海淀区学院路35号"),
		f(quiz.CategoryPreviousAddress, "北京市西城区金融街12号"),
		f(quiz.CategoryVehiclePlate, "京A12345"),
		f(quiz.CategoryVehiclePlate, "京B67890"),
		f(quiz.CategoryIssuingOffice, "北京市公安局朝阳分局"),
		f(quiz.CategoryIssuingOffice, "北京市公安局海淀分局"),
		f(quiz.CategoryPhoneCarrier, "中国移动"),
		f(quiz.CategoryPhoneCarrier, "中国联通"),
		f(quiz.CategoryEmployer, "北京星辰科技有限公司"),
		f(quiz.CategoryEmployer, "北京云海网络有限公司"),
		f(quiz.CategoryBank, "中国工商银行"),
		f(quiz.CategoryBank, "中国农业银行"),
		{Category: quiz.CategoryPreviousAddress, Value: "河北省保定市莲池区1号", Static: true},
		{Category: quiz.CategoryIssuingOffice, Value: "北京市公安局东城分局", Public: true},
	}
}

// richFacts adds to personFacts a value per category, so that three quizzes can run
// without repeating a fact; the distractor pools still hold four values besides them.
func richFacts() []quiz.Fact {
	since := t0.AddDate(-3, 0, 0)
	more := []quiz.Fact{
		{Category: quiz.CategoryPreviousAddress, Value: "北京市东城区东四路47号"},
		{Category: quiz.CategoryVehiclePlate, Value: "京C24680"},
		{Category: quiz.CategoryVehiclePlate, Value: "京E13579"},
		{Category: quiz.CategoryIssuingOffice, Value: "北京市公安局西城分局"},
		{Category: quiz.CategoryIssuingOffice, Value: "北京市公安局丰台分局"},
		{Category: quiz.CategoryPhoneCarrier, Value: "中国电信"},
		{Category: quiz.CategoryEmployer, Value: "上海明月电子有限公司"},
		{Category: quiz.CategoryBank, Value: "中国建设银行"},
	}
	for i := range more {
		more[i].ValidFrom = since
	}
	return append(personFacts(), more...)
}

// pools holds distractors, including the person's own values (which Begin must refuse)
// and, for each category, a dozen or more values of the same shape made up by combining
// place names, letters and digits, so that several quizzes of one subject can run
// without showing a value twice.
func pools() map[quiz.Category][]string {
	var addresses, plates, offices, employers []string
	addresses = append(addresses,
		"北京市朝阳区建国路88号", "北京市海淀区学院路35号", "北京市西城区金融街12号",
		"北京市东城区东四路47号", "河北省保定市莲池区1号")
	for i, d := range []string{"丰台", "通州", "顺义", "昌平", "大兴", "房山", "怀柔", "平谷", "密云", "延庆"} {
		for j, road := range []string{"新华路", "人民路", "光明路"} {
			addresses = append(addresses, fmt.Sprintf("北京市%s区%s%d号", d, road, 10+7*i+j))
		}
	}
	plates = append(plates, "京A12345", "京B67890", "京C24680", "京E13579")
	for i, l := range "FGHJKLMNPQ" {
		plates = append(plates, fmt.Sprintf("京%c%05d", l, 31415+i*1111))
	}
	for _, d := range []string{"朝阳", "海淀", "西城", "东城", "丰台", "通州", "顺义", "昌平", "大兴", "房山", "怀柔", "平谷", "密云", "延庆"} {
		offices = append(offices, "北京市公安局"+d+"分局")
	}
	for _, city := range []string{"北京", "上海", "深圳", "杭州"} {
		for _, name := range []string{"星辰", "云海", "明月", "青松"} {
			for _, kind := range []string{"科技", "网络"} {
				employers = append(employers, city+name+kind+"有限公司")
			}
		}
	}
	employers = append(employers, "上海明月电子有限公司")
	return map[quiz.Category][]string{
		quiz.CategoryPreviousAddress: addresses,
		quiz.CategoryVehiclePlate:    plates,
		quiz.CategoryIssuingOffice:   offices,
		quiz.CategoryPhoneCarrier: {
			"中国移动", "中国联通", "中国电信", "中国广电", "京东通信", "小米移动", "阿里通信",
			"苏宁互联", "国美极信", "蜗牛移动", "优友互联", "红豆电信", "乐语通信", "海航通信",
		},
		quiz.CategoryEmployer: employers,
		quiz.CategoryBank: {
			"中国工商银行", "中国农业银行", "中国建设银行", "中国光大银行", "中国民生银行",
			"北京农商银行", "广东华兴银行", "上海农商银行", "重庆农商银行", "广州农商银行",
			"天津农商银行", "成都农商银行", "江苏江南银行", "浙江稠州银行",
		},
	}
}

type harness struct {
	ex       *quiz.Examiner
	clock    *clock
	attempts store.AttemptStore
	facts    []quiz.Fact
}

// newHarness returns an examiner on in-memory stores and a fixed clock; edit changes the
// config before New.
func newHarness(t testing.TB, edit func(*quiz.Config)) *harness {
	t.Helper()
	h := &harness{clock: newClock(), attempts: store.NewMemoryAttemptStore(), facts: personFacts()}
	cfg := quiz.Config{
		Keys:         []store.Key{testKey(1, 1)},
		IndexKey:     testIndexKey,
		Distractors:  quiz.NewMemoryDistractors(pools()),
		AttemptStore: h.attempts,
		Now:          h.clock.Now,
	}
	if edit != nil {
		edit(&cfg)
	}
	ex, err := quiz.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	h.ex = ex
	return h
}

func (h *harness) begin(t testing.TB, subject string) *quiz.Challenge {
	t.Helper()
	ch, err := h.ex.Begin(context.Background(), quiz.BeginRequest{Subject: subject, Facts: h.facts})
	if err != nil {
		t.Fatalf("Begin(%q): %v", subject, err)
	}
	return ch
}

// wrongAnswers answers the first question wrongly and the rest correctly.
func wrongAnswers(ch *quiz.Challenge, right []quiz.Answer) []quiz.Answer {
	out := append([]quiz.Answer(nil), right...)
	for _, o := range ch.Questions[0].Options {
		if o.ID != right[0].OptionID {
			out[0].OptionID = o.ID
			break
		}
	}
	return out
}

// alwaysFirst is a fake replay guard that never remembers: it lets a fuzz target or a
// benchmark finish one token many times.
type alwaysFirst struct{}

func (alwaysFirst) Claim(context.Context, string, time.Time, time.Time) (bool, error) {
	return true, nil
}
