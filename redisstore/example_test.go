package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/trustid/trustid/redisstore"
)

// Example shares one replay guard and attempt store between all the servers of a
// deployment. It needs a Redis server, so it is compiled but not run by go test (it has no
// Output comment); point TRUSTID_REDIS_ADDR at a server and copy it into a program to try.
func Example() {
	client := redis.NewClient(&redis.Options{Addr: os.Getenv("TRUSTID_REDIS_ADDR")})
	defer client.Close()

	// The secret comes from the host's secret store, the same on every server; 32+ bytes.
	secret := []byte(os.Getenv("TRUSTID_REDIS_SECRET"))
	store, err := redisstore.New(redisstore.Config{Client: client, Secret: secret, Prefix: "gate-prod"})
	if err != nil {
		log.Fatal(err)
	}
	// store is now the ReplayGuard of qrtoken, liveness and quiz, and the AttemptStore of
	// liveness, quiz and review: pass it in their Configs. store.AskedStore() is quiz's
	// Config.Asked (quiz then needs its own Config.IndexKey, the same on every server).

	ctx := context.Background()
	now := time.Now()
	for _, gate := range []int{3, 7} {
		first, err := store.Claim(ctx, "code-digest", now, now.Add(time.Minute))
		switch {
		case err != nil:
			fmt.Printf("gate %d: refused, store unavailable: %v\n", gate, err)
		case !first:
			fmt.Printf("gate %d: refused, code already used\n", gate)
		default:
			fmt.Printf("gate %d: accepted\n", gate)
		}
	}
}

// Example_unavailable shows the fail-closed behaviour: with no server listening, Claim
// refuses with an error a host can tell apart from a replay.
func Example_unavailable() {
	// Nothing listens on loopback port 1; no retries, so the example is quick.
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialerRetries: 1})
	defer client.Close()
	store, err := redisstore.New(redisstore.Config{
		Client: client,
		Secret: []byte("example secret, 32 bytes or more"),
	})
	if err != nil {
		log.Fatal(err)
	}
	now := time.Now()
	first, err := store.Claim(context.Background(), "code-digest", now, now.Add(time.Minute))
	fmt.Println("accepted:", first)
	fmt.Println("unavailable:", errors.Is(err, redisstore.ErrUnavailable))
	// Output:
	// accepted: false
	// unavailable: true
}
