"""Last pipeline: the item that reaches feeds (`-O out.jsonl`) is exactly the public record."""


class PublicRecordPipeline:
    def process_item(self, item):
        if isinstance(item, dict):
            for key in [k for k in item if k.startswith("_")]:
                del item[key]
        return item
