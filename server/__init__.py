"""diplograph.server"""
