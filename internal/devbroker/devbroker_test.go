package devbroker

import (
	"net"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		c    Config
		want string
	}{
		{"loopback", Config{Addr: "127.0.0.1:0", DataDir: "d"}, ""},
		{"localhost", Config{Addr: "localhost:9092", DataDir: "d"}, ""},
		{"public address refused", Config{Addr: "0.0.0.0:9092", DataDir: "d"}, "loopback only"},
		{"no port", Config{Addr: "127.0.0.1", DataDir: "d"}, "broker_addr"},
		{"no data dir", Config{Addr: "127.0.0.1:0"}, "data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.c.Validate()
			if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("Validate = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestStartListensOnTheChosenAddress(t *testing.T) {
	b, err := Start(Config{Addr: "127.0.0.1:0", DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	conn, err := net.Dial("tcp", b.Addr())
	if err != nil {
		t.Fatalf("dial %s: %v", b.Addr(), err)
	}
	conn.Close()
	if !strings.HasPrefix(b.Addr(), "127.0.0.1:") {
		t.Errorf("Addr = %s, want loopback", b.Addr())
	}
}
