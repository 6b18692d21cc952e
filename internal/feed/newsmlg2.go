package feed

import (
	"fmt"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// parseNewsMLG2 will read IPTC NewsML-G2 (newsMessage, newsItem, packageItem).
// The format is already recognised by sniffing, so such a feed fails with a
// clear error instead of as unknown content.
func parseNewsMLG2([]byte) ([]pipeline.RawItem, error) {
	return nil, fmt.Errorf("newsml-g2 parsing is not available in this version: %w", ErrFormatUnsupported)
}
