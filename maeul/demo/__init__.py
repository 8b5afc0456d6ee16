"""The demo district: a synthetic Suyeong-gu (Busan) with two years of welfare-hub history.

This app sits on top of every other app: it builds the district through the apps' own row
builders so that the demo can never drift from what the services write. Only synthetic data.
"""
