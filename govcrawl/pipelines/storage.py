"""PLACEHOLDER (to be replaced by the storage layer): passes items through."""


class StoragePipeline:
    def process_item(self, item):
        return item
