"""diplograph.queries"""
