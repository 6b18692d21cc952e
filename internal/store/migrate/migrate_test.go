package migrate

import (
	"errors"
	"testing"
	"testing/fstest"
)

func TestLoad(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	tests := []struct {
		name    string
		files   fstest.MapFS
		want    []string
		wantErr bool
	}{
		{
			name: "sorted by version, other files ignored",
			files: fstest.MapFS{
				"m/0002_sources.sql": file("B"),
				"m/0001_stories.sql": file("A"),
				"m/README.md":        file("not sql"),
			},
			want: []string{"stories", "sources"},
		},
		{name: "gap", files: fstest.MapFS{"m/0001_a.sql": file("A"), "m/0003_c.sql": file("C")}, wantErr: true},
		{name: "repeat", files: fstest.MapFS{"m/0001_a.sql": file("A"), "m/1_b.sql": file("B")}, wantErr: true},
		{name: "no number", files: fstest.MapFS{"m/init.sql": file("A")}, wantErr: true},
		{name: "no name", files: fstest.MapFS{"m/0001_.sql": file("A")}, wantErr: true},
		{name: "empty", files: fstest.MapFS{"m/README.md": file("x")}, wantErr: true},
		{name: "missing directory", files: fstest.MapFS{}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := Load(tt.files, "m")
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Load = %+v, want an error", ms)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(ms) != len(tt.want) {
				t.Fatalf("Load = %+v, want %v", ms, tt.want)
			}
			for i, m := range ms {
				if m.Version != i+1 || m.Name != tt.want[i] {
					t.Errorf("migration %d = %d %s, want %d %s", i, m.Version, m.Name, i+1, tt.want[i])
				}
			}
			if ms[0].SQL != "A" {
				t.Errorf("SQL = %q, want the file's text", ms[0].SQL)
			}
		})
	}
}

func TestPending(t *testing.T) {
	all := []Migration{{Version: 1, Name: "a"}, {Version: 2, Name: "b"}, {Version: 3, Name: "c"}}
	tests := []struct {
		name    string
		applied []int
		want    []int
		tooNew  bool
	}{
		{"fresh database", nil, []int{1, 2, 3}, false},
		{"partly migrated", []int{1, 2}, []int{3}, false},
		{"up to date", []int{3, 1, 2}, nil, false},
		{"newer than this build", []int{1, 2, 3, 4}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			todo, err := Pending(all, tt.applied)
			if tt.tooNew {
				if !errors.Is(err, ErrSchemaTooNew) {
					t.Fatalf("Pending = %v, want ErrSchemaTooNew", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(todo) != len(tt.want) {
				t.Fatalf("Pending = %+v, want versions %v", todo, tt.want)
			}
			for i, m := range todo {
				if m.Version != tt.want[i] {
					t.Errorf("pending[%d] = %d, want %d", i, m.Version, tt.want[i])
				}
			}
		})
	}
}
