// Package feed is wirehose's ingest side: the feeds file, the HTTP fetcher,
// one parser per feed format turning a document into []pipeline.RawItem, and
// the Poller that emits only new or changed items to the raw topic.
package feed
