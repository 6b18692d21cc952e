package postgres

import "testing"

func TestFirstSchema(t *testing.T) {
	tests := []struct {
		name       string
		searchPath string
		want       string
		wantErr    bool
	}{
		{"unset", "", "", false},
		{"server default", `"$user", public`, "", false},
		{"user first", "$user,public", "", false},
		{"plain name folds to lower case", "Wire_Prod", "wire_prod", false},
		{"first of a list", " wire , public", "wire", false},
		{"quoted keeps case and spaces", `"Wire Prod", public`, "Wire Prod", false},
		{"quoted with an escaped quote", `"a""b"`, `a"b`, false},
		{"quoted with a comma", `"a,b",public`, "a,b", false},
		{"unterminated quote", `"wire`, "", true},
		{"empty quotes", `""`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := firstSchema(tt.searchPath)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("firstSchema(%q) = %q, %v; want %q, error %v", tt.searchPath, got, err, tt.want, tt.wantErr)
			}
		})
	}
}
