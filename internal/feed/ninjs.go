package feed

import (
	"fmt"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// parseNinjs will read IPTC ninjs (1.x and 2.x, one item or a list). The format
// is already recognised by sniffing, so such a feed fails with a clear error
// instead of as unknown content.
func parseNinjs([]byte) ([]pipeline.RawItem, error) {
	return nil, fmt.Errorf("ninjs parsing is not available in this version: %w", ErrFormatUnsupported)
}
